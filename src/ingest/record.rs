//! Articles from data in memory: [`Record`], the fields of one article, read
//! by [`crate::Loader::parse_record`] with the same cleaning as files.

use std::path::PathBuf;

use super::Source;

/// The body of a record: how its text is given.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Body {
    /// No body: the article is its title.
    #[default]
    None,
    /// Plain text, one paragraph a line.
    Text(String),
    /// HTML, read as a file's body is (boilerplate removed, captions apart).
    Html(String),
    /// Paragraphs, each cleaned by the text rules.
    Paragraphs(Vec<String>),
}

/// A publish time as given.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum When {
    /// Text, by the rules on [`crate::Published`].
    Text(String),
    /// An epoch number, seconds or milliseconds by its magnitude.
    Epoch(i64),
}

/// The fields of one article, from data in memory (a database row, a feed
/// item), for [`Loader::parse_record`](crate::Loader::parse_record).
///
/// A record goes through the same cleaning as a JSON Lines record in a file
/// (it *is* what the loader makes of one): the title loses outlet
/// decorations, the body loses boilerplate (ads, footers, credit lines), the
/// publish time follows the rules on [`Published`](crate::Published) and the
/// loader's time zone, and the outlet, when not given, comes from the URL's
/// host.
///
/// Setters take and return the record, so a record is one expression. A
/// later body setter replaces an earlier one.
///
/// # Examples
///
/// ```
/// use zhdedup::{Loader, Record};
///
/// let loader = Loader::new();
/// let record = Record::new("[國際]花蓮外海地震 全台有感")
///     .text("氣象署表示，震央位於花蓮外海。\n版權所有，未經授權不得轉載。")
///     .url("https://www.example.tw/news/1")
///     .outlet("示例電台")
///     .published("2024-04-03 07:58"); // no offset: the loader's zone, UTC+8
/// let article = loader.parse_record(&record).unwrap();
/// assert_eq!(article.title, "花蓮外海地震 全台有感");
/// assert_eq!(article.paragraphs, ["氣象署表示，震央位於花蓮外海。"]);
/// assert_eq!(article.published.unwrap().to_string(), "2024-04-02T23:58:00Z");
///
/// // The loader numbers every article it makes, across calls.
/// let second = loader.parse_record(&Record::new("第二篇").published_epoch(1712102280)).unwrap();
/// assert_ne!(article.id, second.id);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    pub(crate) title: String,
    pub(crate) body: Body,
    pub(crate) outlet: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) published: Option<When>,
    pub(crate) source: Option<Source>,
}

impl Record {
    /// A record with this title (may be empty when the record has a body).
    pub fn new(title: impl Into<String>) -> Record {
        Record { title: title.into(), ..Record::default() }
    }

    /// The body as plain text, one paragraph a line (the JSON field `text`).
    pub fn text(mut self, text: impl Into<String>) -> Record {
        self.body = Body::Text(text.into());
        self
    }

    /// The body as HTML (the JSON field `html`): paragraphs are read from
    /// block elements, captions kept apart, boilerplate removed; nesting is
    /// limited by [`LoaderBuilder::max_html_depth`](crate::LoaderBuilder::max_html_depth).
    pub fn html(mut self, html: impl Into<String>) -> Record {
        self.body = Body::Html(html.into());
        self
    }

    /// The body as paragraphs (the JSON field `paragraphs`), each cleaned
    /// by the same text rules as a line of [`Record::text`]; empty ones and
    /// boilerplate lines are dropped.
    pub fn paragraphs<S: Into<String>>(
        mut self,
        paragraphs: impl IntoIterator<Item = S>,
    ) -> Record {
        self.body = Body::Paragraphs(paragraphs.into_iter().map(Into::into).collect());
        self
    }

    /// The outlet's name; without one, it is taken from the URL's host when
    /// the host is a known outlet.
    pub fn outlet(mut self, outlet: impl Into<String>) -> Record {
        self.outlet = Some(outlet.into());
        self
    }

    /// The article's URL (percent-decoded when read).
    pub fn url(mut self, url: impl Into<String>) -> Record {
        self.url = Some(url.into());
        self
    }

    /// The publish time as text, in any form [`Published`](crate::Published)
    /// lists (RFC 3339, RFC 2822, `2020-11-11 08:00`, `2020年11月11日`, an
    /// epoch number).
    pub fn published(mut self, time: impl Into<String>) -> Record {
        self.published = Some(When::Text(time.into()));
        self
    }

    /// The publish time as an epoch number: seconds when its magnitude is
    /// below 10^11, milliseconds otherwise (see [`Published`](crate::Published)).
    pub fn published_epoch(mut self, epoch: i64) -> Record {
        self.published = Some(When::Epoch(epoch));
        self
    }

    /// Where the record came from (a table and row, say), kept in
    /// [`Article::source`](crate::Article::source) and named by errors and
    /// warnings. Without it the source is an empty path.
    pub fn source(mut self, path: impl Into<PathBuf>, line: Option<u32>) -> Record {
        self.source = Some(Source { path: path.into(), line });
        self
    }
}
