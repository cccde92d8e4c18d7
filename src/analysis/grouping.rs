//! Groups PP (or PS) texts that ask the same thing in other words, without comparing
//! all pairs. Each distinct text is read into concepts ([`super::concepts`]: the
//! action it asks, the objects it is about, who or where) and residual words; texts
//! read the same way are one node. Nodes are weighted vectors of those features
//! (concept weight × IDF, unit length). MinHash signatures over the features, cut
//! into LSH bands, put nodes that probably share features in the same buckets; in a
//! bucket each node is compared with the next few ones (`NEIGHBOURS`), never with all.
//!
//! A pair is a link when its similarity reaches `threshold` and the two texts do not
//! ask different actions (both name actions and share none: "mesurer" vs "réduire"
//! the waiting time stay apart). Links are applied best first, as in agglomerative
//! clustering with centroid linkage: two groups join only when their centroids reach
//! `cohesion` and their actions do not conflict, so one text that resembles two
//! topics cannot chain them. Each group says why it holds: the concepts most of its
//! members share ([`Group::actions`], [`Group::objects`]).
//!
//! This module knows texts only, not reports or commitments: the commitment a text
//! was written under is not used to group it.

use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::concepts::{Lexicon, Role, RESIDUAL_WEIGHT};
use super::vectors::WordVectors;

/// How candidate pairs are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Similarity {
    /// Cosine of the weighted feature vectors: concepts weigh by role and rarity.
    Cosine,
    /// Jaccard index of the feature sets (every concept and residual word counts one).
    Jaccard,
}

/// Settings of [`group_texts`]. The defaults were tuned on the development paraphrase
/// set (`fixtures/paraphrase/dev.json`), favouring precision.
#[derive(Debug, Clone, Copy)]
pub struct GroupingParams {
    /// Two texts whose similarity is at least this are linked (when their actions agree).
    pub threshold: f64,
    pub similarity: Similarity,
    /// A link joins two groups only when the cosine of their centroids is at least
    /// this (1 = never join groups; 0 = plain single linkage over the links).
    pub cohesion: f64,
    /// Two texts link, and two groups join, only when what they are about (their
    /// features but actions) has at least this cosine: sharing an action is not
    /// enough (0 = the action alone may link).
    pub about: f64,
    /// LSH bands; the signature has `bands × rows` MinHash values.
    pub bands: usize,
    /// MinHash values per band: more rows, fewer and surer candidates.
    pub rows: usize,
}

impl Default for GroupingParams {
    fn default() -> Self {
        GroupingParams {
            threshold: 0.5,
            similarity: Similarity::Cosine,
            cohesion: 0.45,
            about: 0.4,
            bands: 32,
            rows: 2,
        }
    }
}

/// A group of texts, by index into the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Indices of the member texts, ascending.
    pub members: Vec<usize>,
    /// The member closest to the group's centroid (ties: the wording used most
    /// often, then the first).
    pub representative: usize,
    /// Labels of the action concepts at least half of the members ask, most shared first.
    pub actions: Vec<String>,
    /// Labels of the object and context concepts at least half of the members name,
    /// most shared first (objects before context on ties).
    pub objects: Vec<String>,
}

/// Counters of one grouping run, for the summary and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct GroupingStats {
    pub texts: usize,
    /// Distinct readings (texts read into the same features are compared once).
    pub distinct: usize,
    /// Similarity computations made on LSH candidates.
    pub comparisons: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// Every text is in exactly one group (singletons included), groups ordered by
    /// their first member.
    pub groups: Vec<Group>,
    pub stats: GroupingStats,
}

/// Each node of an LSH bucket is compared with this many nodes after it in the
/// bucket (all pairs in a bucket of up to twice as many): the cost is linear in the
/// bucket size, never quadratic, even for buckets made of very common concepts.
const NEIGHBOURS: usize = 12;
/// Up to this many distinct readings, every pair is compared (at most 2 million
/// similarities); beyond, MinHash bands propose the candidates.
const EXACT_NODES: usize = 2_000;
/// Passes over the candidate pairs: a merge can bring two groups' centroids over the
/// cohesion, so a pair rejected once is tried again in the next pass.
const PASSES: usize = 4;

/// Groups the texts with the built-in lexicon. Deterministic: the same texts in the
/// same order give the same groups.
pub fn group_texts(texts: &[&str], params: &GroupingParams) -> Grouping {
    group_texts_with(texts, params, Lexicon::builtin())
}

/// Groups the texts, reading them with `lexicon`.
pub fn group_texts_with(texts: &[&str], params: &GroupingParams, lexicon: &Lexicon) -> Grouping {
    group_texts_semantic(texts, params, lexicon, None)
}

/// The semantic second opinion (`analyze --vectors FILE`): word vectors propose pairs
/// of texts whose words differ but whose meaning is close; the lexicon decides. A
/// proposed pair links only when the lexicon does not contradict it (the texts ask no
/// different actions, name no different channels, and share an object when both
/// name objects), and joins two groups only when their mean vectors are close too,
/// their families agree and their concept centroids meet the lexicon's own cohesion.
#[derive(Clone, Copy)]
pub struct Semantic<'v> {
    pub vectors: &'v WordVectors,
    /// Cosine of two texts' vectors from which they are proposed as a pair.
    pub threshold: f64,
    /// Cosine of two groups' mean vectors from which a proposed pair joins them.
    pub cohesion: f64,
    /// Cosine of two texts' concept vectors below which a proposed pair is refused:
    /// the vectors may find other words for a meaning, not a text with nothing in
    /// common.
    pub concepts: f64,
}

impl<'v> Semantic<'v> {
    /// The second opinion with its default thresholds (tuned on the development and
    /// extra paraphrase sets).
    pub fn new(vectors: &'v WordVectors) -> Semantic<'v> {
        Semantic {
            vectors,
            threshold: SEMANTIC_THRESHOLD,
            cohesion: SEMANTIC_COHESION,
            concepts: SEMANTIC_CONCEPTS,
        }
    }
}

pub const SEMANTIC_THRESHOLD: f64 = 0.7;
pub const SEMANTIC_COHESION: f64 = 0.65;
pub const SEMANTIC_CONCEPTS: f64 = 0.3;
/// SimHash bands and bits per band of the vector candidates.
const VECTOR_BANDS: usize = 16;
const VECTOR_BITS: usize = 8;

/// Groups the texts, reading them with `lexicon`, with word vectors as a second
/// opinion when given.
pub fn group_texts_semantic(
    texts: &[&str],
    params: &GroupingParams,
    lexicon: &Lexicon,
    semantic: Option<Semantic>,
) -> Grouping {
    let nodes = Nodes::build(texts, lexicon);
    let vectors = nodes.vectors(params.similarity);
    let similarity = |a: usize, b: usize| match params.similarity {
        Similarity::Cosine => dot(&vectors[a], &vectors[b]),
        Similarity::Jaccard => jaccard(&nodes.features[a], &nodes.features[b]),
    };
    let accept = |s: f64, a: usize, b: usize| {
        s >= params.threshold - 1e-9 && nodes.agree(a, b, params.about)
    };
    let (mut pairs, comparisons) = if nodes.len() <= EXACT_NODES {
        all_pairs(&nodes.features, &similarity, &accept)
    } else {
        let signatures = nodes.minhash(params.bands * params.rows);
        candidate_pairs(
            &signatures,
            (params.bands, params.rows),
            &similarity,
            &accept,
        )
    };
    // Surest pairs first: tight cores form before looser paraphrases join the group
    // they fit best, so the result depends little on input order.
    pairs.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    pairs.dedup_by(|x, y| (x.1, x.2) == (y.1, y.2));
    let mut clusters = Clusters::new(
        &vectors,
        &nodes.about,
        &nodes.exclusive,
        &nodes.families,
        params.cohesion,
        params.about,
    );
    // When each pair was last tried ([`Clusters::clock`]): a pair refused once is
    // tried again only if one of its groups has changed since.
    let mut tried = vec![0u32; pairs.len()];
    for pass in 0..PASSES {
        let mut merged = false;
        for (&(_, a, b), tried) in pairs.iter().zip(tried.iter_mut()) {
            let (ra, rb) = (clusters.uf.find(a as usize), clusters.uf.find(b as usize));
            if pass > 0 && clusters.stamp[ra] <= *tried && clusters.stamp[rb] <= *tried {
                continue;
            }
            *tried = clusters.clock;
            merged |= clusters.join(a as usize, b as usize);
        }
        if !merged {
            break;
        }
        let mut k = 0;
        pairs.retain(|&(_, a, b)| {
            let keep = clusters.uf.find(a as usize) != clusters.uf.find(b as usize);
            tried[k] = if keep { tried[k] } else { u32::MAX };
            k += 1;
            keep
        });
        tried.retain(|&t| t != u32::MAX);
    }
    let mut comparisons = comparisons;
    if let Some(semantic) = semantic {
        comparisons += semantic_pass(&nodes, &vectors, &semantic, &mut clusters);
    }
    let groups = nodes.groups(&mut clusters.uf, &vectors, lexicon);
    Grouping {
        groups,
        stats: GroupingStats {
            texts: texts.len(),
            distinct: nodes.len(),
            comparisons,
        },
    }
}

/// The members of exclusive families a text (or group) names: (family, concept,
/// asked), sorted and distinct by (family, concept); `asked` is false for a member
/// only described ("les horaires affichés"); generic members are dropped where a
/// specific one of their family is named.
type Exclusive = Vec<(u16, u32, bool)>;

/// Two texts (or groups) agree unless, for some family, both ask members of it and
/// one asks nothing the other names: a text naming no action (a finding, a nominal
/// phrase) can join any request on its objects, "mettre à jour le bilan publié"
/// meets "publier un bilan actualisé", but "mesurer" and "réduire" never meet, nor
/// "afficher les horaires" and "harmoniser les horaires affichés".
fn families_agree(a: &[(u16, u32, bool)], b: &[(u16, u32, bool)], families: &Families) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let family = a[i].0;
        match family.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let end_a = i + a[i..].iter().take_while(|x| x.0 == family).count();
                let end_b = j + b[j..].iter().take_while(|x| x.0 == family).count();
                let (x, y) = (&a[i..end_a], &b[j..end_b]);
                let asks = |s: &[(u16, u32, bool)]| s.iter().any(|m| m.2);
                // What one asks, the other names (asked or described).
                let met = |s: &[(u16, u32, bool)], t: &[(u16, u32, bool)]| {
                    s.iter()
                        .any(|m| m.2 && t.iter().any(|n| families.compatible(m.1, n.1)))
                };
                if asks(x) && asks(y) && !(met(x, y) && met(y, x)) {
                    return false;
                }
                (i, j) = (end_a, end_b);
            }
        }
    }
    true
}

/// Two texts (or groups) are about the same things unless both name objects and
/// share none: asking the same action of other objects ("tester la boucle
/// magnétique" / "tester les liens du site") is another recommendation.
fn objects_agree(a: &[u32], b: &[u32]) -> bool {
    if a.is_empty() || b.is_empty() {
        return true;
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Families of the lexicon's concepts, by index.
struct Families {
    /// Family index of each concept (`None`: in no family).
    of: Vec<Option<u16>>,
    generic: Vec<bool>,
    /// Other concepts each concept does not exclude (both ways, ascending).
    compatible: Vec<Vec<u32>>,
}

impl Families {
    fn new(lexicon: &Lexicon) -> Families {
        let mut names: Vec<&str> = Vec::new();
        let of = lexicon
            .concepts
            .iter()
            .map(|c| {
                c.family.as_deref().map(|f| {
                    let at = names.iter().position(|n| *n == f).unwrap_or_else(|| {
                        names.push(f);
                        names.len() - 1
                    });
                    at as u16
                })
            })
            .collect();
        let generic = lexicon.concepts.iter().map(|c| c.generic).collect();
        let compatible = lexicon.compatible.clone();
        Families {
            of,
            generic,
            compatible,
        }
    }

    /// Whether naming `b` meets a request of `a`: the same concept, or one the
    /// lexicon declares compatible ("réduire" and "améliorer" a figure).
    fn compatible(&self, a: u32, b: u32) -> bool {
        a == b
            || self
                .compatible
                .get(a as usize)
                .is_some_and(|c| c.binary_search(&b).is_ok())
    }

    /// The exclusive members of a text: its concepts, the `described` ones marked as
    /// not asked.
    fn requested(&self, concepts: &[u32], described: &[u32]) -> Exclusive {
        self.members(concepts.iter().map(|&c| (c, !described.contains(&c))))
    }

    /// The exclusive members among (concept, asked) pairs, any order, repeats allowed
    /// (asked wins).
    fn members(&self, concepts: impl IntoIterator<Item = (u32, bool)>) -> Exclusive {
        let mut set: Exclusive = concepts
            .into_iter()
            .filter_map(|(c, asked)| {
                self.of
                    .get(c as usize)
                    .copied()
                    .flatten()
                    .map(|f| (f, c, asked))
            })
            .collect();
        // Asked first among equal (family, concept), so dedup keeps it.
        set.sort_unstable_by_key(|&(f, c, asked)| (f, c, !asked));
        set.dedup_by_key(|m| (m.0, m.1));
        let specific: Vec<u16> = set
            .iter()
            .filter(|m| !self.generic[m.1 as usize])
            .map(|m| m.0)
            .collect();
        set.retain(|m| !self.generic[m.1 as usize] || !specific.contains(&m.0));
        set
    }
}

/// A candidate link: similarity, lower node, higher node.
type Link = (f32, u32, u32);

/// The pairs of nodes meeting in a bucket of one of `bands` bands of `rows` signature
/// values that `accept` keeps, as (similarity, lower node, higher node), possibly
/// repeated; and the number of similarities computed.
fn candidate_pairs(
    signatures: &[Vec<u32>],
    (bands, rows): (usize, usize),
    similarity: &(impl Fn(usize, usize) -> f64 + Sync),
    accept: &(impl Fn(f64, usize, usize) -> bool + Sync),
) -> (Vec<Link>, u64) {
    let per_band: Vec<(Vec<Link>, u64)> = (0..bands)
        .into_par_iter()
        .map(|band| {
            let mut pairs = Vec::new();
            let mut comparisons = 0u64;
            for bucket in band_buckets(signatures, band, rows) {
                let window = if bucket.len() <= 2 * NEIGHBOURS {
                    bucket.len()
                } else {
                    NEIGHBOURS
                };
                for (i, &a) in bucket.iter().enumerate() {
                    for &b in bucket.iter().skip(i + 1).take(window) {
                        comparisons += 1;
                        let s = similarity(a, b);
                        if accept(s, a, b) {
                            let (lo, hi) = (a.min(b), a.max(b));
                            pairs.push((s as f32, lo as u32, hi as u32));
                        }
                    }
                }
            }
            (pairs, comparisons)
        })
        .collect();
    let comparisons = per_band.iter().map(|(_, c)| c).sum();
    let pairs = per_band.into_iter().flat_map(|(p, _)| p).collect();
    (pairs, comparisons)
}

/// Every pair of nodes with features that `accept` keeps, as [`candidate_pairs`]
/// gives them: for a small input, where comparing all pairs costs less than a
/// second and no pair depends on the luck of the MinHash bands.
fn all_pairs(
    features: &[Vec<u32>],
    similarity: &(impl Fn(usize, usize) -> f64 + Sync),
    accept: &(impl Fn(f64, usize, usize) -> bool + Sync),
) -> (Vec<Link>, u64) {
    let with: Vec<usize> = (0..features.len())
        .filter(|&n| !features[n].is_empty())
        .collect();
    let per_node: Vec<(Vec<Link>, u64)> = (0..with.len())
        .into_par_iter()
        .map(|i| {
            let a = with[i];
            let mut pairs = Vec::new();
            for &b in &with[i + 1..] {
                let s = similarity(a, b);
                if accept(s, a, b) {
                    pairs.push((s as f32, a as u32, b as u32));
                }
            }
            (pairs, (with.len() - i - 1) as u64)
        })
        .collect();
    let comparisons = per_node.iter().map(|(_, c)| c).sum();
    (
        per_node.into_iter().flat_map(|(p, _)| p).collect(),
        comparisons,
    )
}

/// The similarity (`params.similarity`) of each pair of texts, with the weights the
/// grouping of all `texts` would use, and whether their actions agree; for
/// diagnostics (`benches/analysis.rs`), never called by the grouping itself.
pub fn pair_similarities(
    texts: &[&str],
    pairs: &[(usize, usize)],
    params: &GroupingParams,
) -> Vec<(f64, bool)> {
    let nodes = Nodes::build(texts, Lexicon::builtin());
    let vectors = nodes.vectors(params.similarity);
    pairs
        .iter()
        .map(|&(a, b)| {
            let (a, b) = (nodes.node_of[a], nodes.node_of[b]);
            let s = match params.similarity {
                Similarity::Cosine => dot(&vectors[a], &vectors[b]),
                Similarity::Jaccard => jaccard(&nodes.features[a], &nodes.features[b]),
            };
            (s, nodes.agree(a, b, params.about))
        })
        .collect()
}

/// Distinct readings of the input, with the texts that have each.
struct Nodes<'t> {
    texts: &'t [&'t str],
    /// Sorted, distinct feature ids of each node: concept indices of the lexicon,
    /// then residual words (empty for texts with nothing to read).
    features: Vec<Vec<u32>>,
    /// Members of exclusive families of each node ([`Families::members`]).
    exclusive: Vec<Exclusive>,
    families: Families,
    /// Object concepts of each node, ascending.
    objects: Vec<Vec<u32>>,
    /// Unit vector of each node over what it is about: its features but actions.
    about: Vec<Vec<(u32, f32)>>,
    /// Texts of each node, ascending.
    texts_of: Vec<Vec<usize>>,
    /// Node of each text.
    node_of: Vec<usize>,
    /// Number of texts having each feature.
    document_frequency: Vec<u32>,
    /// Weight of each feature: the concept's, or [`RESIDUAL_WEIGHT`].
    weights: Vec<f32>,
}

impl<'t> Nodes<'t> {
    fn build(texts: &'t [&'t str], lexicon: &Lexicon) -> Nodes<'t> {
        // Each distinct wording is read once: real corpora repeat their texts.
        let mut wording: HashMap<&str, usize> = HashMap::default();
        let mut distinct: Vec<&str> = Vec::new();
        let wording_of: Vec<usize> = texts
            .iter()
            .map(|&t| {
                *wording.entry(t).or_insert_with(|| {
                    distinct.push(t);
                    distinct.len() - 1
                })
            })
            .collect();
        drop(wording);
        let readings: Vec<_> = distinct.par_iter().map(|t| lexicon.read(t)).collect();
        let concepts = lexicon.concepts.len() as u32;
        let mut weights: Vec<f32> = lexicon.concepts.iter().map(|c| c.weight).collect();
        let mut residual_ids: HashMap<String, u32> = HashMap::default();
        let mut by_features: HashMap<(Vec<u32>, Exclusive), usize> = HashMap::default();
        let mut by_text: HashMap<String, usize> = HashMap::default();
        let mut features = Vec::new();
        let families = Families::new(lexicon);
        let mut exclusive = Vec::new();
        let mut objects: Vec<Vec<u32>> = Vec::new();
        let mut texts_of: Vec<Vec<usize>> = Vec::new();
        let mut node_of_wording = Vec::with_capacity(distinct.len());
        for (w, reading) in readings.into_iter().enumerate() {
            let mut set: Vec<u32> = reading.concepts.clone();
            for stem in reading.residual {
                let next = concepts + residual_ids.len() as u32;
                set.push(*residual_ids.entry(stem).or_insert_with(|| {
                    weights.push(RESIDUAL_WEIGHT);
                    next
                }));
            }
            set.sort_unstable();
            let requested = families.requested(&reading.concepts, &reading.described);
            // Texts with nothing to read only group with the same wording; others are
            // one node when they read the same and ask the same.
            let node = if set.is_empty() {
                *by_text
                    .entry(crate::text::fold(distinct[w]))
                    .or_insert(texts_of.len())
            } else {
                *by_features
                    .entry((set.clone(), requested.clone()))
                    .or_insert(texts_of.len())
            };
            if node == texts_of.len() {
                objects.push(
                    reading
                        .concepts
                        .iter()
                        .copied()
                        .filter(|&c| lexicon.concepts[c as usize].role == Role::Object)
                        .collect(),
                );
                exclusive.push(requested);
                features.push(set);
                texts_of.push(Vec::new());
            }
            node_of_wording.push(node);
        }
        let mut document_frequency = vec![0u32; weights.len()];
        let mut node_of = Vec::with_capacity(texts.len());
        for (i, &w) in wording_of.iter().enumerate() {
            let node = node_of_wording[w];
            texts_of[node].push(i);
            node_of.push(node);
            for &f in &features[node] {
                document_frequency[f as usize] += 1;
            }
        }
        let mut nodes = Nodes {
            texts,
            features,
            exclusive,
            families,
            objects,
            about: Vec::new(),
            texts_of,
            node_of,
            document_frequency,
            weights,
        };
        let action = |t: u32| {
            lexicon
                .concepts
                .get(t as usize)
                .is_some_and(|c| c.role == Role::Action)
        };
        nodes.about = nodes.unit_vectors(|t| !action(t));
        nodes
    }

    fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether two nodes may be linked, whatever their similarity: their actions
    /// agree ([`families_agree`]), so do their objects ([`objects_agree`]), and what
    /// they are about has a cosine of at least `about`.
    fn agree(&self, a: usize, b: usize, about: f64) -> bool {
        families_agree(&self.exclusive[a], &self.exclusive[b], &self.families)
            && objects_agree(&self.objects[a], &self.objects[b])
            && dot(&self.about[a], &self.about[b]) >= about - 1e-9
    }

    /// Unit vectors of the nodes: each feature weighs its weight × smoothed IDF
    /// (binary term frequency); for Jaccard, the vectors only serve the cohesion check.
    fn vectors(&self, _similarity: Similarity) -> Vec<Vec<(u32, f32)>> {
        self.unit_vectors(|_| true)
    }

    /// Unit vectors over the features `keep` keeps, weighted as in [`Nodes::vectors`].
    fn unit_vectors(&self, keep: impl Fn(u32) -> bool + Sync) -> Vec<Vec<(u32, f32)>> {
        let n = self.texts.len() as f64;
        let weight: Vec<f64> = self
            .document_frequency
            .iter()
            .zip(&self.weights)
            .map(|(&df, &w)| f64::from(w) * (((1.0 + n) / (1.0 + f64::from(df))).ln() + 1.0))
            .collect();
        self.features
            .par_iter()
            .map(|set| {
                let kept = || {
                    set.iter()
                        .copied()
                        .filter(|&t| keep(t) && weight[t as usize] > 0.0)
                };
                let norm = kept()
                    .map(|t| weight[t as usize].powi(2))
                    .sum::<f64>()
                    .sqrt();
                kept()
                    .map(|t| (t, (weight[t as usize] / norm) as f32))
                    .collect()
            })
            .collect()
    }

    /// MinHash signatures, `len` values per node (nodes without features get none).
    fn minhash(&self, len: usize) -> Vec<Vec<u32>> {
        self.features
            .par_iter()
            .map(|set| {
                if set.is_empty() {
                    return Vec::new();
                }
                (0..len as u64)
                    .map(|seed| {
                        set.iter()
                            .map(|&t| {
                                splitmix64(u64::from(t) ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
                                    as u32
                            })
                            .min()
                            .unwrap_or(u32::MAX)
                    })
                    .collect()
            })
            .collect()
    }

    /// The union-find's components as groups of texts, with their representatives
    /// and the concepts that tie them.
    fn groups(
        &self,
        uf: &mut UnionFind,
        vectors: &[Vec<(u32, f32)>],
        lexicon: &Lexicon,
    ) -> Vec<Group> {
        let mut components: HashMap<usize, Vec<usize>> = HashMap::default();
        for node in 0..self.len() {
            components.entry(uf.find(node)).or_default().push(node);
        }
        let mut groups: Vec<Group> = components
            .into_values()
            .map(|nodes| {
                let representative = self.representative(&nodes, vectors);
                let mut members: Vec<usize> = nodes
                    .iter()
                    .flat_map(|&n| self.texts_of[n].iter().copied())
                    .collect();
                members.sort_unstable();
                let (actions, objects) = if members.len() > 1 {
                    self.shared_concepts(&nodes, members.len(), lexicon)
                } else {
                    (Vec::new(), Vec::new())
                };
                Group {
                    members,
                    representative,
                    actions,
                    objects,
                }
            })
            .collect();
        groups.sort_by_key(|g| g.members[0]);
        groups
    }

    /// Labels of the concepts at least half of the group's texts have: actions, then
    /// objects and context; most shared first, objects before context, then label.
    fn shared_concepts(
        &self,
        nodes: &[usize],
        members: usize,
        lexicon: &Lexicon,
    ) -> (Vec<String>, Vec<String>) {
        let mut counts: HashMap<u32, usize> = HashMap::default();
        for &n in nodes {
            for &f in &self.features[n] {
                if (f as usize) < lexicon.concepts.len() {
                    *counts.entry(f).or_default() += self.texts_of[n].len();
                }
            }
        }
        let mut shared: Vec<(usize, u8, &str, Role)> = counts
            .into_iter()
            .filter(|&(_, n)| 2 * n >= members)
            .map(|(c, n)| {
                let concept = &lexicon.concepts[c as usize];
                let rank = u8::from(concept.role == Role::Context);
                (n, rank, concept.label.as_str(), concept.role)
            })
            .collect();
        shared.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(b.2)));
        let labels = |pick: &dyn Fn(Role) -> bool| {
            shared
                .iter()
                .filter(|s| pick(s.3))
                .map(|s| s.2.to_owned())
                .collect()
        };
        (
            labels(&|r| r == Role::Action),
            labels(&|r| r != Role::Action),
        )
    }

    /// The text of the node nearest the centroid of the group (nodes weighted by
    /// their number of texts); within that node, its most used wording.
    fn representative(&self, nodes: &[usize], vectors: &[Vec<(u32, f32)>]) -> usize {
        let mut centroid: HashMap<u32, f32> = HashMap::default();
        for &n in nodes {
            let weight = self.texts_of[n].len() as f32;
            for &(t, w) in &vectors[n] {
                *centroid.entry(t).or_default() += w * weight;
            }
        }
        let score = |n: usize| vectors[n].iter().map(|(t, w)| w * centroid[t]).sum::<f32>();
        let best = nodes
            .iter()
            .copied()
            .max_by(|&a, &b| {
                score(a)
                    .total_cmp(&score(b))
                    .then(self.texts_of[a].len().cmp(&self.texts_of[b].len()))
                    .then(b.cmp(&a))
            })
            .expect("a group has a node");
        self.most_used_wording(best)
    }

    fn most_used_wording(&self, node: usize) -> usize {
        let mut counts: HashMap<&str, (usize, usize)> = HashMap::default();
        for &i in &self.texts_of[node] {
            counts.entry(self.texts[i]).or_insert((0, i)).0 += 1;
        }
        counts
            .into_values()
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, i)| i)
            .expect("a node has a text")
    }
}

/// The buckets of one LSH band holding two nodes or more, in a deterministic order;
/// within a bucket, nodes are ordered by their values in the other bands, so that the
/// nodes compared with a node of a large bucket (the next ones) are likely similar.
fn band_buckets(signatures: &[Vec<u32>], band: usize, rows: usize) -> Vec<Vec<usize>> {
    let bands = signatures.iter().map(Vec::len).max().unwrap_or(0) / rows.max(1);
    let key = |sig: &[u32], band: usize| {
        sig[band * rows..(band + 1) * rows]
            .iter()
            .fold(band as u64, |h, &v| splitmix64(h ^ u64::from(v)))
    };
    let mut keyed: Vec<(u64, u64, usize)> = signatures
        .iter()
        .enumerate()
        .filter(|(_, sig)| !sig.is_empty())
        .map(|(node, sig)| {
            let next = if bands > 1 {
                key(sig, (band + 1) % bands)
            } else {
                0
            };
            (key(sig, band), next, node)
        })
        .collect();
    keyed.sort_unstable();
    keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .map(|run| run.iter().map(|&(_, _, node)| node).collect())
        .collect()
}

/// Sums of unit vectors per union-find root, for the cosine of two groups' centroids.
struct Centroids<'v> {
    vectors: &'v [Vec<(u32, f32)>],
    /// Sum vector of each root with more than one node (singletons use their vector).
    sums: HashMap<usize, HashMap<u32, f32>>,
    /// Squared norm of each root's sum vector.
    norm2: Vec<f64>,
}

impl<'v> Centroids<'v> {
    fn new(vectors: &'v [Vec<(u32, f32)>]) -> Centroids<'v> {
        let norm2 = vectors
            .iter()
            .map(|v| v.iter().map(|&(_, w)| f64::from(w).powi(2)).sum())
            .collect();
        Centroids {
            vectors,
            sums: HashMap::default(),
            norm2,
        }
    }

    /// Dot product of two roots' sum vectors.
    fn dot(&self, a: usize, b: usize) -> f64 {
        match (self.sums.get(&a), self.sums.get(&b)) {
            (None, None) => dot(&self.vectors[a], &self.vectors[b]),
            (Some(sum), None) => sparse_dot(sum, &self.vectors[b]),
            (None, Some(sum)) => sparse_dot(sum, &self.vectors[a]),
            (Some(x), Some(y)) => {
                let (small, big) = if x.len() <= y.len() { (x, y) } else { (y, x) };
                small
                    .iter()
                    .map(|(t, w)| f64::from(*w) * f64::from(big.get(t).copied().unwrap_or(0.0)))
                    .sum()
            }
        }
    }

    /// Cosine of two roots' centroids (1 when either is empty) and their dot product.
    fn cosine(&self, a: usize, b: usize) -> (f64, f64) {
        let d = self.dot(a, b);
        let (na, nb) = (self.norm2[a], self.norm2[b]);
        if na > 0.0 && nb > 0.0 {
            (d / (na * nb).sqrt(), d)
        } else {
            (1.0, d)
        }
    }

    /// Adds the sums of `a` and `b` (whose dot product is `d`) under `root`.
    fn merge(&mut self, a: usize, b: usize, d: f64, root: usize) {
        let mut sum = self
            .sums
            .remove(&a)
            .unwrap_or_else(|| self.vectors[a].iter().copied().collect());
        match self.sums.remove(&b) {
            Some(other) => other
                .into_iter()
                .for_each(|(t, w)| *sum.entry(t).or_default() += w),
            None => self.vectors[b]
                .iter()
                .for_each(|&(t, w)| *sum.entry(t).or_default() += w),
        }
        let n = self.norm2[a] + self.norm2[b] + 2.0 * d;
        self.sums.insert(root, sum);
        self.norm2[root] = n;
    }
}

/// The union-find of nodes, with each component's centroids (the sums of their
/// members' unit vectors, over all features and over what the texts are about).
/// Two components are joined only when their centroids are similar too: one text
/// that happens to resemble two topics cannot chain them into one group, as plain
/// single linkage would, and a shared action cannot chain groups about other things.
struct Clusters<'v> {
    uf: UnionFind,
    all: Centroids<'v>,
    about: Centroids<'v>,
    /// Exclusive family members named in each root's group: two groups that
    /// disagree ([`families_agree`]) never join.
    exclusive: Vec<Exclusive>,
    families: &'v Families,
    threshold: f64,
    about_threshold: f64,
    /// Number of unions made so far, and its value at the last union that made
    /// each root: whether a group changed since a pair was tried.
    clock: u32,
    stamp: Vec<u32>,
}

impl<'v> Clusters<'v> {
    fn new(
        vectors: &'v [Vec<(u32, f32)>],
        about: &'v [Vec<(u32, f32)>],
        exclusive: &[Exclusive],
        families: &'v Families,
        threshold: f64,
        about_threshold: f64,
    ) -> Clusters<'v> {
        Clusters {
            uf: UnionFind::new(vectors.len()),
            all: Centroids::new(vectors),
            about: Centroids::new(about),
            exclusive: exclusive.to_vec(),
            families,
            threshold,
            about_threshold,
            clock: 0,
            stamp: vec![0; vectors.len()],
        }
    }

    /// Joins the groups of `a` and `b` when they are cohesive enough together; true
    /// when two groups were joined.
    fn join(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.uf.find(a), self.uf.find(b));
        if ra == rb || !families_agree(&self.exclusive[ra], &self.exclusive[rb], self.families) {
            return false;
        }
        let (cos, d) = self.all.cosine(ra, rb);
        if cos < self.threshold - 1e-9 {
            return false;
        }
        let (about_cos, about_d) = self.about.cosine(ra, rb);
        if about_cos < self.about_threshold - 1e-9 {
            return false;
        }
        self.union(ra, rb, d, about_d);
        true
    }

    /// Unites two roots whose centroid dot products are `d` and `about_d`; returns
    /// the new root.
    fn union(&mut self, ra: usize, rb: usize, d: f64, about_d: f64) -> usize {
        let root = self.uf.union(ra, rb);
        self.clock += 1;
        self.stamp[root] = self.clock;
        self.all.merge(ra, rb, d, root);
        self.about.merge(ra, rb, about_d, root);
        let named = std::mem::take(&mut self.exclusive[ra])
            .into_iter()
            .chain(std::mem::take(&mut self.exclusive[rb]))
            .map(|(_, c, asked)| (c, asked));
        self.exclusive[root] = self.families.members(named);
        root
    }
}

/// The second opinion: word vectors of each node (its first text), SimHash bands
/// over them for candidates, each candidate kept when its vectors are close and the
/// lexicon does not contradict it; then the kept pairs, closest first, join groups
/// whose mean vectors are close and whose families agree. Returns the comparisons made.
fn semantic_pass(
    nodes: &Nodes,
    concept_vectors: &[Vec<(u32, f32)>],
    semantic: &Semantic,
    clusters: &mut Clusters,
) -> u64 {
    let dims = semantic.vectors.dims();
    // Node vectors quantised to i8 (unit length × 127): a byte per dimension.
    let embedded: Vec<Option<Vec<i8>>> = (0..nodes.len())
        .into_par_iter()
        .map(|n| {
            semantic
                .vectors
                .text_vector(nodes.texts[nodes.texts_of[n][0]])
                .map(|v| v.iter().map(|x| (x * 127.0).round() as i8).collect())
        })
        .collect();
    let cosine = |a: &[i8], b: &[i8]| -> f64 {
        let d: i32 = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| i32::from(x) * i32::from(y))
            .sum();
        f64::from(d) / (127.0 * 127.0)
    };
    // Random hyperplanes, the same every run.
    let planes: Vec<f32> = (0..VECTOR_BANDS * VECTOR_BITS * dims)
        .map(|i| (splitmix64(0xA5A5 ^ i as u64) >> 40) as f32 / (1u64 << 23) as f32 - 1.0)
        .collect();
    let signatures: Vec<Vec<u32>> = embedded
        .par_iter()
        .map(|e| {
            let Some(e) = e else { return Vec::new() };
            (0..VECTOR_BANDS)
                .map(|band| {
                    (0..VECTOR_BITS).fold(0u32, |key, bit| {
                        let plane = &planes[(band * VECTOR_BITS + bit) * dims..][..dims];
                        let side: f32 = plane.iter().zip(e).map(|(p, &x)| p * f32::from(x)).sum();
                        (key << 1) | u32::from(side >= 0.0)
                    })
                })
                .collect()
        })
        .collect();
    // A proposed pair the lexicon does not contradict.
    let similarity = |a: usize, b: usize| match (&embedded[a], &embedded[b]) {
        (Some(x), Some(y)) => cosine(x, y),
        _ => f64::NEG_INFINITY,
    };
    let accept = |s: f64, a: usize, b: usize| {
        s >= semantic.threshold - 1e-9
            && dot(&concept_vectors[a], &concept_vectors[b]) >= semantic.concepts - 1e-9
            && families_agree(&nodes.exclusive[a], &nodes.exclusive[b], &nodes.families)
            && objects_agree(&nodes.objects[a], &nodes.objects[b])
    };
    let (mut pairs, comparisons) = if nodes.len() <= EXACT_NODES {
        // A small input: every pair, as the lexicon's own candidates.
        let per_node: Vec<(Vec<Link>, u64)> = (0..nodes.len())
            .into_par_iter()
            .map(|a| {
                let pairs = (a + 1..nodes.len())
                    .filter_map(|b| {
                        let s = similarity(a, b);
                        accept(s, a, b).then_some((s as f32, a as u32, b as u32))
                    })
                    .collect();
                (pairs, (nodes.len() - a - 1) as u64)
            })
            .collect();
        let comparisons = per_node.iter().map(|(_, c)| c).sum();
        (
            per_node.into_iter().flat_map(|(p, _)| p).collect(),
            comparisons,
        )
    } else {
        candidate_pairs(&signatures, (VECTOR_BANDS, 1), &similarity, &accept)
    };
    pairs.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    pairs.dedup_by(|x, y| (x.1, x.2) == (y.1, y.2));
    pairs.retain(|&(_, a, b)| clusters.uf.find(a as usize) != clusters.uf.find(b as usize));
    if pairs.is_empty() {
        return comparisons;
    }
    // Sums of the node vectors of the groups the pairs touch.
    let mut sums: HashMap<usize, Vec<f32>> = HashMap::default();
    for &(_, a, b) in &pairs {
        for n in [a, b] {
            let root = clusters.uf.find(n as usize);
            sums.entry(root).or_insert_with(|| vec![0.0; dims]);
        }
    }
    for (n, e) in embedded.iter().enumerate() {
        let root = clusters.uf.find(n);
        if let (Some(sum), Some(e)) = (sums.get_mut(&root), e) {
            let weight = nodes.texts_of[n].len() as f32;
            sum.iter_mut()
                .zip(e)
                .for_each(|(s, &x)| *s += weight * f32::from(x));
        }
    }
    let mean_cosine = |x: &[f32], y: &[f32]| -> f64 {
        let d: f32 = x.iter().zip(y).map(|(a, b)| a * b).sum();
        let (nx, ny) = (
            x.iter().map(|a| a * a).sum::<f32>().sqrt(),
            y.iter().map(|a| a * a).sum::<f32>().sqrt(),
        );
        if nx > 0.0 && ny > 0.0 {
            f64::from(d / (nx * ny))
        } else {
            0.0
        }
    };
    for _ in 0..PASSES {
        let mut merged = false;
        for &(_, a, b) in &pairs {
            let (ra, rb) = (clusters.uf.find(a as usize), clusters.uf.find(b as usize));
            if ra == rb
                || !families_agree(
                    &clusters.exclusive[ra],
                    &clusters.exclusive[rb],
                    clusters.families,
                )
            {
                continue;
            }
            if mean_cosine(&sums[&ra], &sums[&rb]) < semantic.cohesion - 1e-9 {
                continue;
            }
            // The groups' concept centroids must be as cohesive as the lexicon asks of
            // its own joins (`GroupingParams::cohesion`): the vectors propose, they do
            // not lower the bar. With the weaker concept floor of a pair here, whole
            // topics sharing only context and close mean vectors (the slot-filled
            // topics of the synthetic benchmark) joined one another.
            let (cos, d) = clusters.all.cosine(ra, rb);
            if cos < clusters.threshold - 1e-9 {
                continue;
            }
            let about_d = clusters.about.dot(ra, rb);
            let root = clusters.union(ra, rb, d, about_d);
            let (x, y) = (sums.remove(&ra), sums.remove(&rb));
            let (mut x, y) = (x.expect("a touched root"), y.expect("a touched root"));
            x.iter_mut().zip(&y).for_each(|(s, v)| *s += v);
            sums.insert(root, x);
            merged = true;
        }
        if !merged {
            break;
        }
    }
    comparisons
}

fn sparse_dot(sum: &HashMap<u32, f32>, v: &[(u32, f32)]) -> f64 {
    v.iter()
        .map(|(t, w)| f64::from(*w) * f64::from(sum.get(t).copied().unwrap_or(0.0)))
        .sum()
}

/// Dot product of two sparse vectors sorted by term.
fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += f64::from(a[i].1) * f64::from(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Jaccard index of two sorted sets.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

/// The multiplicative hash rustc uses (FxHash): the maps here are keyed by small
/// integers and short strings, for which SipHash's protection against chosen keys is
/// not needed and costs a large share of the clustering; and their iteration order
/// (which sums of floats follow) is the same on every run.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FxHasher>>;

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Disjoint sets with path halving and union by size.
pub struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    pub fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    pub fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the sets of `a` and `b`; returns the root of the union.
    pub fn union(&mut self, a: usize, b: usize) -> usize {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return ra;
        }
        let (big, small) = if (self.size[ra], rb) >= (self.size[rb], ra) {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small] = big;
        self.size[big] += self.size[small];
        big
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group_of(grouping: &Grouping, text: usize) -> usize {
        grouping
            .groups
            .iter()
            .position(|g| g.members.contains(&text))
            .unwrap()
    }

    #[test]
    fn paraphrases_group_and_other_topics_stay_apart() {
        let texts = [
            "Afficher les horaires d'ouverture à l'entrée de la préfecture.",
            "Il conviendrait d'afficher les horaires d'ouverture à l'entrée.",
            "Les horaires d'ouverture de la préfecture gagneraient à être affichés à l'entrée.",
            "Réduire le délai de réponse aux courriels des usagers.",
            "Répondre plus vite aux mails des usagers : réduire le délai de réponse.",
            "Former les agents d'accueil à la langue des signes.",
        ];
        let g = group_texts(&texts, &GroupingParams::default());
        assert_eq!(group_of(&g, 0), group_of(&g, 1));
        assert_eq!(group_of(&g, 0), group_of(&g, 2));
        assert_eq!(group_of(&g, 3), group_of(&g, 4));
        assert_ne!(group_of(&g, 0), group_of(&g, 3));
        assert_ne!(group_of(&g, 5), group_of(&g, 0));
        assert_ne!(group_of(&g, 5), group_of(&g, 3));
        assert_eq!(
            g.groups.iter().map(|g| g.members.len()).sum::<usize>(),
            texts.len()
        );
    }

    #[test]
    fn identical_wordings_are_one_node_and_the_representative_is_the_most_used() {
        let texts = [
            "Afficher les horaires.",
            "afficher les horaires",
            "Afficher les horaires.",
            "RAS",
            "R.A.S.",
        ];
        let g = group_texts(&texts, &GroupingParams::default());
        assert_eq!(g.stats.distinct, 3);
        assert_eq!(g.groups[0].members, vec![0, 1, 2]);
        assert_eq!(g.groups[0].representative, 0);
        assert_eq!(g.groups.len(), 3);
    }

    #[test]
    fn deterministic() {
        let verbs = [
            "Afficher",
            "Mettre à jour",
            "Publier",
            "Contrôler",
            "Simplifier",
        ];
        let objects = [
            "les horaires d'ouverture",
            "la liste des pièces",
            "le bilan des réclamations",
            "les délais de traitement",
        ];
        let places = [
            "à l'entrée",
            "sur le site internet",
            "au guichet",
            "dans le hall",
        ];
        let texts: Vec<String> = (0..400)
            .map(|i| {
                format!(
                    "{} {} {}.",
                    verbs[i % 5],
                    objects[(i / 5) % 4],
                    places[(i / 20) % 4]
                )
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let a = group_texts(&refs, &GroupingParams::default());
        let b = group_texts(&refs, &GroupingParams::default());
        assert_eq!(a, b);
        assert!(
            a.groups.len() > 1 && a.groups.len() < 80,
            "{} groups",
            a.groups.len()
        );
    }

    #[test]
    fn one_ambiguous_text_does_not_chain_two_topics() {
        let texts = [
            "Afficher les horaires d'ouverture à l'entrée.",
            "Les horaires d'ouverture doivent être affichés à l'entrée.",
            "Afficher lisiblement les horaires d'ouverture à l'entrée du bâtiment.",
            "Supprimer les liens morts du site internet.",
            "Vérifier les liens du site internet et supprimer les liens morts.",
            "Les liens morts du site internet sont à supprimer.",
            "Afficher les horaires d'ouverture sur le site internet et supprimer les liens morts.",
        ];
        let single_linkage = GroupingParams {
            cohesion: 0.0,
            about: 0.0,
            threshold: 0.4,
            ..GroupingParams::default()
        };
        let chained = group_texts(&texts, &single_linkage);
        assert_eq!(
            group_of(&chained, 0),
            group_of(&chained, 3),
            "single linkage chains the topics"
        );
        let guarded = group_texts(
            &texts,
            &GroupingParams {
                cohesion: 0.6,
                ..single_linkage
            },
        );
        assert_ne!(
            group_of(&guarded, 0),
            group_of(&guarded, 3),
            "the centroid check keeps them apart"
        );
        assert_eq!(group_of(&guarded, 0), group_of(&guarded, 2));
        assert_eq!(group_of(&guarded, 3), group_of(&guarded, 5));
    }

    #[test]
    fn small_inputs_compare_every_pair_and_large_ones_use_the_bands() {
        // A made-up word per number: numbers are not read.
        let word = |i: usize| -> String {
            let letters = b"bcdfghjklmnpqrstvwxz";
            (0..3)
                .map(|k| letters[(i / 20usize.pow(k)) % 20] as char)
                .chain(['o'])
                .collect()
        };
        let texts: Vec<String> = (0..60)
            .map(|i| format!("Afficher le panneau {}.", word(i)))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let g = group_texts(&refs, &GroupingParams::default());
        assert_eq!(g.stats.comparisons, 60 * 59 / 2);
        // Beyond EXACT_NODES distinct readings, the bands decide what is compared.
        let texts: Vec<String> = (0..EXACT_NODES + 500)
            .map(|i| format!("Afficher le panneau {} du hall {}.", word(i), word(i / 7)))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let many = group_texts(&refs, &GroupingParams::default());
        let few = group_texts(
            &refs,
            &GroupingParams {
                bands: 1,
                rows: 16,
                ..GroupingParams::default()
            },
        );
        assert!(many.stats.distinct > EXACT_NODES);
        assert!(
            few.stats.comparisons < many.stats.comparisons,
            "{} vs {}",
            few.stats.comparisons,
            many.stats.comparisons
        );
    }

    #[test]
    fn similarity_measures() {
        assert!((jaccard(&[1, 2, 3], &[2, 3, 4]) - 0.5).abs() < 1e-9);
        assert_eq!(jaccard(&[], &[]), 0.0);
        assert!((dot(&[(1, 0.6), (2, 0.8)], &[(2, 1.0)]) - 0.8).abs() < 1e-6);
    }
}
