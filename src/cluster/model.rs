//! The pair model: which evidence says "same event", and how much.
//!
//! A [`Model`] is a logistic regression over the [`Feature`]s of a
//! candidate pair: the probability that the two articles report one event
//! is `1 / (1 + e^-z)` with `z = bias + Σ weight × value`. Each term of the
//! sum is a [`Contribution`] that a link shows, so every link says which
//! evidence carried it. The model also holds the two thresholds the
//! clustering cuts at: events, and the stories events belong to.
//!
//! The built-in model ([`Model::builtin`]) was trained on the labelled days
//! by `cargo run --release --example train` (its
//! [`provenance`](Model::provenance) says with which data);
//! [`Model::train`] learns one from a user's own labels, whose notion of
//! "one event" may be coarser or finer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// One kind of evidence about a candidate pair. Values are in `0..=1`
/// unless said otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Feature {
    /// Share of the text in near-duplicate paragraphs holding the same
    /// numbers, the mean over the two articles.
    Coverage,
    /// That share for the article with less of its text matched.
    CoverageMin,
    /// Cosine of the IDF-weighted title character bigrams.
    TitleBigrams,
    /// Cosine of the IDF-weighted title + lead character bigrams.
    LeadBigrams,
    /// Cosine of the IDF-weighted title words.
    TitleWords,
    /// Cosine of the IDF-weighted title + lead words.
    LeadWords,
    /// Share of the two articles' most distinctive words they share.
    SharedWords,
    /// 1 when both articles come from one outlet.
    SameOutlet,
    /// The lead word cosine of two articles of one outlet (0 otherwise): one
    /// outlet's items on one story share its words.
    SameOutletLeadWords,
    /// Days between the publish times, capped at 2 (0 when a time is
    /// missing).
    GapDays,
    /// 1 when either publish time is unknown.
    NoTime,
    /// `ln(shorter / longer)` of the body lengths over 5, capped at -1: a
    /// brief and a long analysis.
    LengthRatio,
    /// The larger, over the two articles, of the share of its title's word
    /// weight that the other's title and lead lack: a headline's actor or
    /// action the other report never mentions.
    TitleNovelMax,
    /// The smaller of the two shares.
    TitleNovelMin,
    /// 1 when both titles name a speaker ("陸委會：…", "Pompeo: …") and it
    /// is the same one.
    SameSpeaker,
    /// 1 when both titles name a speaker and they differ: another party's
    /// statement or reaction is another event.
    OtherSpeaker,
    /// 1 when one title names a speaker and the other does not.
    OneSpeaker,
    /// 1 when both titles hold one number of two digits or more, not a
    /// year ("增长3.2%", "Q2经济成长3.2%"): one figure, one release.
    TitleNumbers,
    /// What the two articles' outlets say, in log-odds: the sum of each
    /// one's weight in the model's outlet table ([`Model::outlet_weight`]),
    /// 0 for an outlet the table does not hold. Not in `0..=1`. A daily
    /// digest or an English-language outlet seldom reports one event with
    /// the others in words they share; an outlet that republishes others
    /// often does.
    Outlets,
    /// Cosine of the user's vectors (`0.5 + cos / 2`; needs
    /// [`Clusterer::cluster_with_vectors`](crate::Clusterer::cluster_with_vectors)).
    Vector,
}

impl Feature {
    /// Every feature, in the order of [`Features`]' values.
    pub const ALL: [Feature; 20] = [
        Feature::Coverage,
        Feature::CoverageMin,
        Feature::TitleBigrams,
        Feature::LeadBigrams,
        Feature::TitleWords,
        Feature::LeadWords,
        Feature::SharedWords,
        Feature::SameOutlet,
        Feature::SameOutletLeadWords,
        Feature::GapDays,
        Feature::NoTime,
        Feature::LengthRatio,
        Feature::TitleNovelMax,
        Feature::TitleNovelMin,
        Feature::SameSpeaker,
        Feature::OtherSpeaker,
        Feature::OneSpeaker,
        Feature::TitleNumbers,
        Feature::Outlets,
        Feature::Vector,
    ];

    /// The feature's name in model files (`snake_case`).
    pub fn name(self) -> &'static str {
        match self {
            Feature::Coverage => "coverage",
            Feature::CoverageMin => "coverage_min",
            Feature::TitleBigrams => "title_bigrams",
            Feature::LeadBigrams => "lead_bigrams",
            Feature::TitleWords => "title_words",
            Feature::LeadWords => "lead_words",
            Feature::SharedWords => "shared_words",
            Feature::SameOutlet => "same_outlet",
            Feature::SameOutletLeadWords => "same_outlet_lead_words",
            Feature::GapDays => "gap_days",
            Feature::NoTime => "no_time",
            Feature::LengthRatio => "length_ratio",
            Feature::TitleNovelMax => "title_novel_max",
            Feature::TitleNovelMin => "title_novel_min",
            Feature::SameSpeaker => "same_speaker",
            Feature::OtherSpeaker => "other_speaker",
            Feature::OneSpeaker => "one_speaker",
            Feature::TitleNumbers => "title_numbers",
            Feature::Outlets => "outlets",
            Feature::Vector => "vector",
        }
    }

    /// The feature named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.name() == name)
    }

    fn slot(self) -> usize {
        // `ALL` lists every variant once, in declaration order.
        self as usize
    }
}

impl std::fmt::Display for Feature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The model in one line: bias, weights and thresholds.
///
/// ```
/// let line = zhdedup::Model::builtin().to_string();
/// assert!(line.starts_with("bias +0.20, coverage +0.36, "), "{line}");
/// assert!(line.contains("title_numbers +2.86, outlets +1.00 (18 outlets)"), "{line}");
/// assert!(line.ends_with("; event threshold 0.200, story 0.020"), "{line}");
/// ```
impl std::fmt::Display for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bias {:+.2}", self.bias)?;
        for (feature, weight) in &self.weights {
            write!(f, ", {feature} {weight:+.2}")?;
            if *feature == Feature::Outlets {
                write!(f, " ({} outlets)", self.outlets.len())?;
            }
        }
        write!(
            f,
            "; event threshold {:.3}, story {:.3}",
            self.event_threshold, self.story_threshold
        )
    }
}

/// The value of every [`Feature`] for one pair.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Features(pub [f32; Feature::ALL.len()]);

impl Features {
    /// The value of `feature`.
    pub fn get(&self, feature: Feature) -> f32 {
        self.0[feature.slot()]
    }

    pub(crate) fn set(&mut self, feature: Feature, value: f32) {
        self.0[feature.slot()] = value;
    }
}

/// What one feature added to a link's log-odds: `weight × value`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The evidence.
    pub feature: Feature,
    /// Its value for the pair.
    pub value: f32,
    /// `weight × value`, in log-odds: positive for "same event".
    pub logit: f32,
}

/// A trained pair model and the thresholds the clustering cuts at.
///
/// ```
/// use zhdedup::{Feature, Features, Model};
/// let model = Model::builtin();
/// let with = |pairs: &[(Feature, f32)]| {
///     let mut features = Features::default();
///     for &(f, value) in pairs {
///         features.0[Feature::ALL.iter().position(|x| *x == f).unwrap()] = value;
///     }
///     features
/// };
/// let near_copy = with(&[(Feature::Coverage, 0.95), (Feature::CoverageMin, 0.95),
///     (Feature::TitleWords, 0.9), (Feature::LeadWords, 0.9), (Feature::TitleBigrams, 0.9)]);
/// let unrelated = with(&[(Feature::TitleNovelMax, 1.0), (Feature::TitleNovelMin, 1.0)]);
/// assert!(model.probability(&near_copy) > model.event_threshold());
/// assert!(model.probability(&unrelated) < model.event_threshold());
/// // A model file round-trips.
/// let again = Model::from_json(&model.to_json()).unwrap();
/// assert_eq!(again.probability(&near_copy), model.probability(&near_copy));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Weight of each feature the model uses; features it does not list
    /// weigh nothing.
    #[serde(with = "weight_map")]
    weights: Vec<(Feature, f32)>,
    bias: f32,
    /// Two clusters are one event while the mean probability over the
    /// article pairs between them is at least this.
    event_threshold: f32,
    /// Two events are one story while that mean is at least this.
    story_threshold: f32,
    /// What made the model: the command, the labels, the measurements.
    provenance: String,
    /// The value of [`Feature::Vector`] for a pair where an article has no
    /// vector: the training pairs' mean, so that a missing vector says
    /// nothing either way.
    #[serde(default)]
    missing_vector: f32,
    /// Each outlet's weight for [`Feature::Outlets`], in log-odds, by the
    /// outlet's name as the articles give it; learned by
    /// [`Model::fit_with_outlets`]. An outlet it does not hold weighs 0, as
    /// much as the outlet of a typical training pair.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    outlets: BTreeMap<String, f32>,
}

/// The built-in model (`src/cluster/model.json`), made by
/// `zhdedup train` from the labelled days (DESIGN.md, "Model").
const BUILTIN: &str = include_str!("model.json");

impl Model {
    /// The model the library ships (lexical evidence only; trained on nine
    /// labelled days, see [`Model::provenance`]).
    pub fn builtin() -> Model {
        // Checked by a unit test, so this cannot fail at run time.
        Model::from_json(BUILTIN).expect("the built-in model is valid")
    }

    /// Reads a model file written by [`Model::to_json`].
    ///
    /// # Errors
    ///
    /// Not JSON of a model, an unknown feature, a weight or threshold that
    /// is not finite, thresholds outside `0..=1`, or a story threshold above
    /// the event threshold.
    pub fn from_json(json: &str) -> Result<Model, Error> {
        let model: Model = serde_json::from_str(json)
            .map_err(|e| Error::config(format!("not a model file: {e}")))?;
        model.check()?;
        Ok(model)
    }

    /// The model as JSON (what [`Model::from_json`] reads).
    pub fn to_json(&self) -> String {
        // A struct of numbers, strings and enums always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    fn check(&self) -> Result<(), Error> {
        let finite = self.bias.is_finite()
            && self.weights.iter().all(|(_, w)| w.is_finite())
            && self.outlets.values().all(|w| w.is_finite());
        if !finite {
            return Err(Error::config("model weights must be finite"));
        }
        let mut seen = Vec::new();
        for (feature, _) in &self.weights {
            if seen.contains(feature) {
                return Err(Error::config(format!("model lists {feature} twice")));
            }
            seen.push(*feature);
        }
        for (name, t) in [("event", self.event_threshold), ("story", self.story_threshold)] {
            if !(0.0..=1.0).contains(&t) {
                return Err(Error::config(format!("model {name} threshold must be in 0..=1")));
            }
        }
        if self.story_threshold > self.event_threshold {
            return Err(Error::config("model story threshold is above its event threshold"));
        }
        Ok(())
    }

    /// The probability that a pair with these features reports one event.
    pub fn probability(&self, features: &Features) -> f32 {
        let z = self.bias + self.weights.iter().map(|&(f, w)| w * features.get(f)).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    /// Each used feature's part of the log-odds, largest magnitude first.
    pub fn contributions(&self, features: &Features) -> Vec<Contribution> {
        let mut parts: Vec<Contribution> = self
            .weights
            .iter()
            .map(|&(feature, w)| {
                let value = features.get(feature);
                Contribution { feature, value, logit: w * value }
            })
            .collect();
        parts.sort_by(|x, y| y.logit.abs().total_cmp(&x.logit.abs()));
        parts
    }

    /// The features the model weighs, with their weights.
    pub fn weights(&self) -> &[(Feature, f32)] {
        &self.weights
    }

    /// The log-odds of a pair with every feature 0.
    pub fn bias(&self) -> f32 {
        self.bias
    }

    /// The weight of `outlet` in the model's outlet table, in log-odds: 0
    /// for an outlet the table does not hold (see [`Feature::Outlets`]).
    pub fn outlet_weight(&self, outlet: &str) -> f32 {
        self.outlets.get(outlet).copied().unwrap_or(0.0)
    }

    /// The outlet table: each outlet the model has a weight for, by name.
    pub fn outlet_weights(&self) -> &BTreeMap<String, f32> {
        &self.outlets
    }

    /// Whether the model weighs the user's vectors ([`Feature::Vector`]).
    pub fn uses_vectors(&self) -> bool {
        self.weights.iter().any(|(f, _)| *f == Feature::Vector)
    }

    /// The mean pair probability at which clusters are one event.
    pub fn event_threshold(&self) -> f32 {
        self.event_threshold
    }

    /// The mean pair probability at which events are one story.
    pub fn story_threshold(&self) -> f32 {
        self.story_threshold
    }

    /// What made the model.
    pub fn provenance(&self) -> &str {
        &self.provenance
    }

    /// The same model with other thresholds (`story <= event`, both in
    /// `0..=1`).
    ///
    /// # Errors
    ///
    /// Thresholds out of range or in the wrong order.
    pub fn with_thresholds(&self, event: f32, story: f32) -> Result<Model, Error> {
        let model = Model { event_threshold: event, story_threshold: story, ..self.clone() };
        model.check()?;
        Ok(model)
    }

    /// The same model with another value for a missing vector.
    pub(crate) fn with_missing_vector(&self, value: f32) -> Model {
        Model { missing_vector: value, ..self.clone() }
    }

    /// The value of [`Feature::Vector`] when an article has no vector.
    pub(crate) fn missing_vector(&self) -> f32 {
        self.missing_vector
    }

    /// The same model with another provenance text.
    pub fn with_provenance(&self, provenance: impl Into<String>) -> Model {
        Model { provenance: provenance.into(), ..self.clone() }
    }

    /// Fits a logistic regression of `same` on the `features` of labelled
    /// pairs, over the `used` features only (without an outlet table: see
    /// [`Model::fit_with_outlets`]). The thresholds are set to `0.5` and
    /// `0.25`; choose them by clustering (as [`Trainer`](crate::Trainer)
    /// does) and set them with [`Model::with_thresholds`].
    ///
    /// Features are standardised, the fit is Newton's method on the
    /// log-likelihood with an L2 penalty of `l2` on the standardised
    /// weights (deterministic: same pairs, same model), and the weights are
    /// mapped back to raw feature values.
    ///
    /// # Errors
    ///
    /// No pairs, or pairs of one class only.
    pub fn fit(pairs: &[(Features, bool)], used: &[Feature], l2: f64) -> Result<Model, Error> {
        let used: Vec<Feature> = used.iter().copied().filter(|f| *f != Feature::Outlets).collect();
        Model::fit_with_outlets(pairs, &[], &used, l2)
    }

    /// [`Model::fit`], and when `used` holds [`Feature::Outlets`], an
    /// outlet table too: `outlets[i]` names the outlets of `pairs[i]`
    /// (`None` for an article without one; pairs beyond `outlets` have
    /// none). Each outlet is one more column of the regression, its count in
    /// the pair (0, 1 or 2), penalised by `l2` on the raw weight, so an
    /// outlet seen in few pairs keeps a weight near 0. The weights are then
    /// centred on the training pairs' mean (the bias takes the difference),
    /// so that an outlet the table does not hold counts as a typical one.
    ///
    /// ```
    /// use zhdedup::{Feature, Features, Model};
    /// // Pairs with a digest ("digest") are never one event, whatever
    /// // their titles share; the other outlets' pairs are when the titles
    /// // are alike.
    /// let mut pairs = Vec::new();
    /// let mut outlets = Vec::new();
    /// for i in 0..300 {
    ///     let mut f = Features::default();
    ///     let title = (i % 10) as f32 / 10.0;
    ///     f.0[Feature::ALL.iter().position(|x| *x == Feature::TitleWords).unwrap()] = title;
    ///     let digest = i % 3 == 0;
    ///     pairs.push((f, title > 0.45 && !digest));
    ///     outlets.push([Some(if digest { "digest" } else { "cna" }), Some("rfi")]);
    /// }
    /// let used = [Feature::TitleWords, Feature::Outlets];
    /// let model = Model::fit_with_outlets(&pairs, &outlets, &used, 1.0).unwrap();
    /// assert!(model.outlet_weight("digest") < -1.0, "{:?}", model.outlet_weights());
    /// assert!(model.outlet_weight("cna") > model.outlet_weight("digest"));
    /// assert_eq!(model.outlet_weight("unknown"), 0.0);
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Model::fit`].
    pub fn fit_with_outlets(
        pairs: &[(Features, bool)],
        outlets: &[[Option<&str>; 2]],
        used: &[Feature],
        l2: f64,
    ) -> Result<Model, Error> {
        let positives = pairs.iter().filter(|p| p.1).count();
        if positives == 0 || positives == pairs.len() {
            return Err(Error::config("training needs pairs of both classes"));
        }
        let mut used: Vec<Feature> = used.to_vec();
        used.sort();
        used.dedup();
        let with_outlets = used.contains(&Feature::Outlets);
        // The outlet column is the table, not a value: it is learned as one
        // column an outlet, and weighs 1 in the model.
        used.retain(|f| *f != Feature::Outlets);
        // The outlets of the pairs, in name order (a BTreeMap: the same
        // columns, in the same order, whatever the pairs' order).
        let mut names: BTreeMap<&str, usize> = BTreeMap::new();
        if with_outlets {
            for name in outlets.iter().take(pairs.len()).flatten().flatten() {
                *names.entry(name).or_default() += 1;
            }
        }
        let column: BTreeMap<&str, usize> =
            names.keys().enumerate().map(|(i, name)| (*name, i)).collect();
        let k = used.len();
        let m = column.len();
        let n = pairs.len() as f64;
        let x = |p: &Features, j: usize| f64::from(p.get(used[j]));
        let mut mean = vec![0.0; k];
        let mut sd = vec![0.0; k];
        for (p, _) in pairs {
            for (j, mu) in mean.iter_mut().enumerate() {
                *mu += x(p, j) / n;
            }
        }
        for (p, _) in pairs {
            for (j, s) in sd.iter_mut().enumerate() {
                *s += (x(p, j) - mean[j]).powi(2) / n;
            }
        }
        for s in &mut sd {
            // A constant feature gets weight 0 (its column is all zeros).
            *s = if *s > 1e-12 { s.sqrt() } else { f64::INFINITY };
        }
        // Parameters: standardised weights, outlet weights, then the bias.
        let width = k + m + 1;
        let mut beta = vec![0.0f64; width];
        let prior = positives as f64 / n;
        beta[k + m] = (prior / (1.0 - prior)).ln();
        let mut row = vec![0.0f64; width];
        for _ in 0..50 {
            let mut gradient = vec![0.0f64; width];
            let mut hessian = vec![vec![0.0f64; width]; width];
            for (i, (p, same)) in pairs.iter().enumerate() {
                for j in 0..k {
                    row[j] = (x(p, j) - mean[j]) / sd[j];
                }
                row[k..k + m].fill(0.0);
                for name in outlets.get(i).into_iter().flatten().flatten() {
                    if let Some(&c) = column.get(name) {
                        row[k + c] += 1.0;
                    }
                }
                row[k + m] = 1.0;
                let z: f64 = row.iter().zip(&beta).map(|(a, b)| a * b).sum();
                let prob = 1.0 / (1.0 + (-z).exp());
                let residual = f64::from(u8::from(*same)) - prob;
                let w = (prob * (1.0 - prob)).max(1e-9);
                for a in 0..width {
                    if row[a] == 0.0 {
                        continue;
                    }
                    gradient[a] += residual * row[a];
                    for b in 0..=a {
                        hessian[a][b] += w * row[a] * row[b];
                    }
                }
            }
            for a in 0..k + m {
                gradient[a] -= l2 * beta[a];
                hessian[a][a] += l2;
            }
            // Mirror the lower triangle that was summed.
            for a in 0..width {
                let (upper, lower) = hessian.split_at_mut(a);
                for (b, row) in upper.iter_mut().enumerate() {
                    row[a] = lower[0][b];
                }
            }
            let step = solve(hessian, gradient)
                .ok_or_else(|| Error::config("training pairs give a singular fit"))?;
            let size: f64 = step.iter().map(|s| s.abs()).fold(0.0, f64::max);
            for (b, s) in beta.iter_mut().zip(&step) {
                *b += s;
            }
            if size < 1e-7 {
                break;
            }
        }
        let mut bias = beta[k + m];
        let mut weights = Vec::with_capacity(k + 1);
        for j in 0..k {
            let w = beta[j] / sd[j];
            bias -= w * mean[j];
            weights.push((used[j], w as f32));
        }
        let mut table = BTreeMap::new();
        if with_outlets {
            // Centred on the mean outlet of the training pairs: the score
            // of a pair with two known outlets is unchanged, and an outlet
            // the table lacks counts as a typical one.
            let seen: usize = names.values().sum();
            let centre = names.iter().map(|(name, count)| beta[k + column[name]] * *count as f64);
            let centre = centre.sum::<f64>() / seen.max(1) as f64;
            for (name, c) in &column {
                table.insert((*name).to_string(), (beta[k + c] - centre) as f32);
            }
            bias += 2.0 * centre;
            weights.push((Feature::Outlets, 1.0));
            weights.sort_by_key(|(f, _)| *f);
        }
        let model = Model {
            weights,
            bias: bias as f32,
            event_threshold: 0.5,
            story_threshold: 0.25,
            provenance: String::new(),
            missing_vector: 0.0,
            outlets: table,
        };
        model.check()?;
        Ok(model)
    }
}

/// Weights as a JSON object `{"coverage": 2.7, …}` in [`Feature::ALL`]
/// order, which a person can read and edit; a repeated feature is refused.
mod weight_map {
    use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
    use serde::ser::{SerializeMap, Serializer};

    use super::Feature;

    pub(super) fn serialize<S: Serializer>(w: &[(Feature, f32)], s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(w.len()))?;
        for (feature, weight) in w {
            map.serialize_entry(feature.name(), weight)?;
        }
        map.end()
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(Feature, f32)>, D::Error> {
        struct Weights;
        impl<'de> Visitor<'de> for Weights {
            type Value = Vec<(Feature, f32)>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of feature names and weights")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(Feature, f32)> = Vec::new();
                while let Some((name, weight)) = map.next_entry::<String, f32>()? {
                    let feature = Feature::from_name(&name)
                        .ok_or_else(|| A::Error::custom(format!("unknown feature {name}")))?;
                    if out.iter().any(|(f, _)| *f == feature) {
                        return Err(A::Error::custom(format!("feature {name} given twice")));
                    }
                    out.push((feature, weight));
                }
                out.sort_by_key(|(f, _)| *f);
                Ok(out)
            }
        }
        d.deserialize_map(Weights)
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None`
/// when `a` is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let factor = a[row][col] / a[col][col];
            let (pivot_rows, rest) = a.split_at_mut(row);
            for (target, source) in rest[0][col..].iter_mut().zip(&pivot_rows[col][col..]) {
                *target -= factor * source;
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let sum: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - sum) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_model_is_valid() {
        let model = Model::builtin();
        assert!(!model.provenance().is_empty());
        assert!(!model.uses_vectors());
    }

    #[test]
    fn features_are_listed_once_in_slot_order() {
        for (i, f) in Feature::ALL.iter().enumerate() {
            assert_eq!(f.slot(), i);
            assert_eq!(Feature::from_name(f.name()), Some(*f));
        }
    }

    #[test]
    fn a_fit_separates_what_its_feature_separates() {
        // "same" exactly when the title cosine is high, with noise in
        // another feature: the fit weighs the title and not the noise.
        let mut pairs = Vec::new();
        for i in 0..200 {
            let mut f = Features::default();
            let title = (i % 10) as f32 / 10.0;
            f.set(Feature::TitleWords, title);
            f.set(Feature::GapDays, ((i * 7) % 13) as f32 / 13.0);
            pairs.push((f, title > 0.45 || i % 50 == 0));
        }
        let model = Model::fit(&pairs, &[Feature::TitleWords, Feature::GapDays], 1.0).unwrap();
        let weight = |f| model.weights().iter().find(|w| w.0 == f).unwrap().1;
        assert!(weight(Feature::TitleWords) > 5.0, "{model:?}");
        assert!(weight(Feature::GapDays).abs() < 1.0, "{model:?}");
        let mut high = Features::default();
        high.set(Feature::TitleWords, 0.9);
        assert!(model.probability(&high) > 0.9);
        assert!(Model::fit(&pairs[..0], &[Feature::TitleWords], 1.0).is_err());
    }

    #[test]
    fn bad_model_files_are_refused() {
        assert!(Model::from_json("{}").is_err());
        let model = Model::builtin();
        assert!(model.with_thresholds(0.3, 0.5).is_err());
        assert!(model.with_thresholds(1.5, 0.5).is_err());
        let json = model.to_json().replacen("\"coverage\"", "\"no_such_feature\"", 1);
        assert!(Model::from_json(&json).is_err());
    }
}
