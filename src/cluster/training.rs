//! Learning a [`Model`] from labelled articles.
//!
//! [`Clusterer::training_pairs`] computes the features of every candidate
//! pair once; [`Trainer::train`] fits the model on the pairs whose two
//! articles are labelled in one group (a group is one labelled day, or any
//! set of articles labelled together: pairs across groups are not
//! compared), then chooses the event threshold that gives the best mean
//! pairwise F1 over the groups when the whole set is clustered, and the
//! story threshold below it.

use std::collections::HashMap;

use super::evidence::{PairEvidence, pair_score};
use super::linkage::{PAIR_FLOOR, average_linkage};
use super::model::{Feature, Features, Model};
use super::{Clusterer, FastMap, Vectors};
use crate::error::Error;
use crate::eval::{Scores, b_cubed, pairwise};
use crate::ingest::{Article, ArticleId};

/// One candidate pair: positions, features, whether it is in the time
/// window and whether it passes the copy rule (see `PairEvidence::score`).
#[derive(Debug, Clone, Copy)]
struct Pair {
    a: u32,
    b: u32,
    /// The two articles' outlets, as positions in `TrainingPairs::outlets`
    /// (`u32::MAX` for none).
    outlets: [u32; 2],
    features: Features,
    in_window: bool,
    copy: bool,
}

/// The features of every candidate pair of a set of articles, as
/// [`Clusterer::cluster`] computes them: what a model is trained on, and a
/// fast way to cluster the same articles with many models.
#[derive(Debug, Clone)]
pub struct TrainingPairs {
    ids: Vec<ArticleId>,
    /// The outlets' names, sorted: what a model's outlet table is keyed by.
    outlets: Vec<String>,
    pairs: Vec<Pair>,
    uses_vectors: bool,
}

impl Clusterer {
    /// The features of every candidate pair of `articles` (with `vectors`,
    /// if given, for [`Feature::Vector`]). Pairs outside the time window
    /// are kept only when they pass the copy rule.
    pub fn training_pairs(&self, articles: &[Article], vectors: Option<&Vectors>) -> TrainingPairs {
        let prepared = self.prepare(articles, vectors);
        let candidates = self.candidates(&prepared);
        let mut outlets: Vec<String> = articles.iter().filter_map(|a| a.outlet.clone()).collect();
        outlets.sort_unstable();
        outlets.dedup();
        // `prepare` keeps the articles' order: a position is an article.
        let outlet_of = |at: u32| {
            articles[at as usize]
                .outlet
                .as_ref()
                .and_then(|o| outlets.binary_search(o).ok())
                .map_or(u32::MAX, |i| i as u32)
        };
        let pairs: Vec<Pair> = self
            .workers
            .map(&candidates, |(pair, matches)| {
                let e: PairEvidence = self.pair_evidence(&prepared, *pair, matches);
                (e.in_window || e.copy).then_some(Pair {
                    a: pair.0,
                    b: pair.1,
                    outlets: [outlet_of(pair.0), outlet_of(pair.1)],
                    features: e.features,
                    in_window: e.in_window,
                    copy: e.copy,
                })
            })
            .into_iter()
            .flatten()
            .collect();
        TrainingPairs {
            ids: prepared.iter().map(|p| p.id).collect(),
            outlets,
            pairs,
            uses_vectors: vectors.is_some(),
        }
    }
}

impl TrainingPairs {
    /// How many pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Every pair's article ids and features.
    pub fn iter(&self) -> impl Iterator<Item = (ArticleId, ArticleId, &Features)> {
        self.pairs.iter().map(|p| (self.ids[p.a as usize], self.ids[p.b as usize], &p.features))
    }

    /// The event and the story of every article (each named by an index)
    /// when `model` clusters these articles: the partition that
    /// [`Clusterer::cluster`] with that model gives.
    pub fn partition(&self, model: &Model) -> HashMap<ArticleId, (usize, usize)> {
        let scored = self.scores(model);
        let p = average_linkage(
            self.ids.len(),
            &scored,
            model.event_threshold(),
            model.story_threshold(),
        );
        self.ids
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, (p.event[i] as usize, p.story[i] as usize)))
            .collect()
    }

    /// Each pair's outlet names.
    fn outlet_names(&self, p: &Pair) -> [Option<&str>; 2] {
        p.outlets.map(|o| self.outlets.get(o as usize).map(String::as_str))
    }

    fn scores(&self, model: &Model) -> Vec<(u32, u32, f32)> {
        // The pairs' outlet feature is the clusterer's model's; a model
        // with an outlet table of its own is scored with that table.
        let table: Vec<f32> = self.outlets.iter().map(|o| model.outlet_weight(o)).collect();
        let weigh = |o: u32| table.get(o as usize).copied().unwrap_or(0.0);
        self.pairs
            .iter()
            .filter_map(|p| {
                let mut features = p.features;
                features.set(Feature::Outlets, weigh(p.outlets[0]) + weigh(p.outlets[1]));
                // Pairs are kept only in the window or as copies, so there
                // is always a score.
                let score = pair_score(model, &features, p.in_window, p.copy)?;
                (score >= PAIR_FLOOR).then_some((p.a, p.b, score))
            })
            .collect()
    }
}

/// Learns a [`Model`] from labelled groups of articles.
///
/// ```
/// use std::collections::HashMap;
/// use zhdedup::{Article, Clusterer, Loader, Record, Trainer};
/// let loader = Loader::new();
/// let report = |title: &str, text: &str, outlet: &str| {
///     let record = Record::new(title).text(text).outlet(outlet).published("2020-07-22T08:00:00Z");
///     loader.parse_record(&record).unwrap()
/// };
/// let articles: Vec<Article> = vec![
///     report("花蓮外海規模6.1地震 全台有感", "中央氣象局表示，花蓮外海今晨發生規模6.1地震，全台有感，暫無災情傳出。", "cna"),
///     report("花莲外海6.1级地震 全台有感", "台湾中央气象局表示，花莲外海今晨发生6.1级地震，全台有感，暂无灾情。", "rfi"),
///     report("欧盟峰会就复苏基金达成协议", "欧盟领导人经过四天谈判，就7500亿欧元复苏基金达成协议。", "dw"),
///     report("歐盟峰會達成復甦基金協議", "歐盟領導人經過四天談判，就7500億歐元復甦基金達成協議。", "cna"),
///     report("欧盟峰会复苏基金谈判破裂", "欧盟领导人复苏基金谈判第三天破裂，荷兰等国反对。", "bbc"),
///     report("美国下令关闭中国驻休斯敦总领馆", "美国国务院要求中国在72小时内关闭驻休斯敦总领事馆。", "bbc"),
/// ];
/// let pairs = Clusterer::new().training_pairs(&articles, None);
/// let labels: HashMap<_, _> = articles
///     .iter()
///     .zip(["quake", "quake", "eu", "eu", "eu talks", "houston"])
///     .map(|(a, e)| (a.id, e.to_string()))
///     .collect();
/// let model = Trainer::new().train(&pairs, &[labels]).unwrap();
/// let clusterer = Clusterer::builder().model(model).build().unwrap();
/// let clustering = clusterer.cluster(&articles).unwrap();
/// assert_eq!(clustering.clusters.len(), 4);
/// ```
#[derive(Debug, Clone)]
pub struct Trainer {
    features: Vec<Feature>,
    l2: f64,
    min_story_whole: f64,
}

impl Default for Trainer {
    fn default() -> Self {
        Trainer::new()
    }
}

/// The event thresholds tried.
const EVENT_GRID: [f32; 16] =
    [0.04, 0.06, 0.08, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8];

impl Trainer {
    /// Every lexical feature, an L2 penalty of 1, and stories that keep 95%
    /// of the labelled events whole.
    pub fn new() -> Trainer {
        Trainer {
            features: Feature::ALL.into_iter().filter(|f| *f != Feature::Vector).collect(),
            l2: 1.0,
            min_story_whole: 0.95,
        }
    }

    /// The features the model may weigh.
    pub fn features(&mut self, features: &[Feature]) -> &mut Self {
        self.features = features.to_vec();
        self
    }

    /// Also weigh the user's vectors ([`Feature::Vector`]); the training
    /// pairs must have been computed with vectors.
    pub fn vectors(&mut self, yes: bool) -> &mut Self {
        self.features.retain(|f| *f != Feature::Vector);
        if yes {
            self.features.push(Feature::Vector);
        }
        self
    }

    /// Whether to learn an outlet table ([`Feature::Outlets`]; default
    /// yes). Without one, the model weighs every outlet alike: for labels
    /// of a few outlets, or a model meant for archives with other ones.
    pub fn outlets(&mut self, yes: bool) -> &mut Self {
        self.features.retain(|f| *f != Feature::Outlets);
        if yes {
            self.features.push(Feature::Outlets);
        }
        self
    }

    /// The L2 penalty on the standardised weights (default 1).
    pub fn l2(&mut self, l2: f64) -> &mut Self {
        self.l2 = l2;
        self
    }

    /// Fits the model on the labelled pairs of `groups` (article id to
    /// event label, one map per group) and chooses its thresholds by
    /// clustering all of `pairs`' articles.
    ///
    /// # Errors
    ///
    /// The labels give no pair of each class; vectors asked for but the
    /// pairs were computed without them.
    pub fn train(
        &self,
        pairs: &TrainingPairs,
        groups: &[HashMap<ArticleId, String>],
    ) -> Result<Model, Error> {
        if self.features.contains(&Feature::Vector) && !pairs.uses_vectors {
            return Err(Error::config("vectors asked for, but the pairs have none"));
        }
        let mut group_of: FastMap<ArticleId, (usize, &str)> = FastMap::default();
        for (g, labels) in groups.iter().enumerate() {
            for (id, event) in labels {
                group_of.insert(*id, (g, event.as_str()));
            }
        }
        type Outlets<'a> = [Option<&'a str>; 2];
        let (samples, outlets): (Vec<(Features, bool)>, Vec<Outlets<'_>>) = pairs
            .pairs
            .iter()
            .filter(|p| p.in_window)
            .filter_map(|p| {
                let (ga, ea) = group_of.get(&pairs.ids[p.a as usize])?;
                let (gb, eb) = group_of.get(&pairs.ids[p.b as usize])?;
                (ga == gb).then_some(((p.features, ea == eb), pairs.outlet_names(p)))
            })
            .unzip();
        let mut model = Model::fit_with_outlets(&samples, &outlets, &self.features, self.l2)?;
        if self.features.contains(&Feature::Vector) {
            let present: Vec<f32> =
                samples.iter().map(|s| s.0.get(Feature::Vector)).filter(|v| *v > 0.0).collect();
            let mean = present.iter().sum::<f32>() / present.len().max(1) as f32;
            model = model.with_missing_vector(mean);
        }
        // The event threshold with the best mean pairwise F1 over groups,
        // smoothed over its neighbours on the grid: one group of reports
        // joining a day's big event moves F1 by a tenth, so a lone peak is
        // luck.
        let mut f1s = Vec::with_capacity(EVENT_GRID.len());
        for &t in &EVENT_GRID {
            let partition = pairs.partition(&model.with_thresholds(t, t)?);
            f1s.push(mean_f1(groups, &partition, |p| p.0));
        }
        let smoothed = |i: usize| {
            let before = f1s[i.saturating_sub(1)];
            let after = f1s[(i + 1).min(f1s.len() - 1)];
            (before + 2.0 * f1s[i] + after) / 4.0
        };
        let best = (0..f1s.len())
            .max_by(|&i, &j| smoothed(i).total_cmp(&smoothed(j)).then(j.cmp(&i)))
            .unwrap_or(0);
        let event = EVENT_GRID[best];
        // The highest story threshold that keeps enough labelled events
        // whole inside one story.
        let mut story = event * 0.1;
        for k in (1..=9).rev() {
            let t = event * k as f32 / 10.0;
            let partition = pairs.partition(&model.with_thresholds(event, t)?);
            if whole_share(groups, &partition) >= self.min_story_whole {
                story = t;
                break;
            }
        }
        let model = model.with_thresholds(event, story)?;
        Ok(model)
    }
}

/// How a model trained without one labelled group does on that group: the
/// honest estimate of how a model does on days it has not seen
/// ([`Trainer::leave_one_out`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HeldOut {
    /// The group's position in the groups given.
    pub group: usize,
    /// Pairwise precision, recall and F1 over the group's labelled articles.
    pub pairwise: Scores,
    /// B-cubed precision, recall and F1 over them.
    pub b_cubed: Scores,
    /// The share of the group's labelled events of two or more articles
    /// that lie whole in one story.
    pub events_whole_in_story: f64,
    /// Pairwise scores of the stories against the labelled events: the
    /// recall is the share of same-event pairs that share a story.
    pub stories: Scores,
    /// The model trained on the other groups (its thresholds chosen on
    /// them too).
    pub model: Model,
}

impl Trainer {
    /// Trains on all groups but one and scores the one left out, for each
    /// group in turn: what a model trained on these labels can be expected
    /// to do on articles labelled by the same rules that it has not seen.
    /// The whole of `pairs` is clustered each time; only the held-out
    /// group's labelled articles are scored (an article the clustering did
    /// not place counts as a singleton).
    ///
    /// # Errors
    ///
    /// As [`Trainer::train`], for any of the trainings; fewer than two
    /// groups.
    pub fn leave_one_out(
        &self,
        pairs: &TrainingPairs,
        groups: &[HashMap<ArticleId, String>],
    ) -> Result<Vec<HeldOut>, Error> {
        if groups.len() < 2 {
            return Err(Error::config("leaving one group out needs two groups or more"));
        }
        let mut held_out = Vec::with_capacity(groups.len());
        for (k, gold) in groups.iter().enumerate() {
            let rest: Vec<HashMap<ArticleId, String>> = groups
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != k)
                .map(|(_, g)| g.clone())
                .collect();
            let model = self.train(pairs, &rest)?;
            let partition = pairs.partition(&model);
            let events = labelled(gold, &partition, |p| p.0);
            held_out.push(HeldOut {
                group: k,
                pairwise: pairwise(&events, gold),
                b_cubed: b_cubed(&events, gold),
                events_whole_in_story: whole_share(std::slice::from_ref(gold), &partition),
                stories: pairwise(&labelled(gold, &partition, |p| p.1), gold),
                model,
            });
        }
        Ok(held_out)
    }
}

/// Mean pairwise F1 over groups of the labels `label` takes from a partition.
fn mean_f1(
    groups: &[HashMap<ArticleId, String>],
    partition: &HashMap<ArticleId, (usize, usize)>,
    label: impl Fn(&(usize, usize)) -> usize,
) -> f64 {
    let sum: f64 =
        groups.iter().map(|gold| pairwise(&labelled(gold, partition, &label), gold).f1).sum();
    sum / groups.len().max(1) as f64
}

/// The label `pick` takes from the partition for each of `gold`'s articles
/// the partition holds (those it does not are singletons to the scores).
fn labelled(
    gold: &HashMap<ArticleId, String>,
    partition: &HashMap<ArticleId, (usize, usize)>,
    pick: impl Fn(&(usize, usize)) -> usize,
) -> HashMap<ArticleId, usize> {
    gold.keys().filter_map(|id| Some((*id, pick(partition.get(id)?)))).collect()
}

/// The share of labelled events of two or more articles that lie whole in
/// one story.
pub(crate) fn whole_share(
    groups: &[HashMap<ArticleId, String>],
    partition: &HashMap<ArticleId, (usize, usize)>,
) -> f64 {
    let (mut whole, mut events) = (0usize, 0usize);
    for gold in groups {
        let mut stories: HashMap<&str, Vec<usize>> = HashMap::new();
        for (id, event) in gold {
            if let Some(p) = partition.get(id) {
                stories.entry(event).or_default().push(p.1);
            }
        }
        for list in stories.values().filter(|l| l.len() > 1) {
            events += 1;
            whole += usize::from(list.iter().all(|s| *s == list[0]));
        }
    }
    if events == 0 { 1.0 } else { whole as f64 / events as f64 }
}
