//! Reference table of the 101 French departments (code, official name, préfecture),
//! and the ways reports refer to them: exact lookup by name, code or préfecture city,
//! and detection of "préfecture de …" / "département de …" mentions in free text.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::text::fold;

/// One French department as the official geographic code (COG) names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Department {
    /// Official code: two digits ("01", "82"), "2A"/"2B" for Corsica, three digits overseas ("971").
    pub code: &'static str,
    /// Official name with its accents, hyphens and apostrophes ("Côtes-d'Armor", "La Réunion").
    pub name: &'static str,
    /// The préfecture city (chef-lieu), with its official spelling ("Montauban", "Saint-Brieuc").
    pub prefecture: &'static str,
}

const fn dep(code: &'static str, name: &'static str, prefecture: &'static str) -> Department {
    Department {
        code,
        name,
        prefecture,
    }
}

/// All 101 departments in code order: the 96 metropolitan ones (with 2A and 2B between
/// 19 and 21) and the five overseas ones (971 to 974, 976).
pub static DEPARTMENTS: [Department; 101] = [
    dep("01", "Ain", "Bourg-en-Bresse"),
    dep("02", "Aisne", "Laon"),
    dep("03", "Allier", "Moulins"),
    dep("04", "Alpes-de-Haute-Provence", "Digne-les-Bains"),
    dep("05", "Hautes-Alpes", "Gap"),
    dep("06", "Alpes-Maritimes", "Nice"),
    dep("07", "Ardèche", "Privas"),
    dep("08", "Ardennes", "Charleville-Mézières"),
    dep("09", "Ariège", "Foix"),
    dep("10", "Aube", "Troyes"),
    dep("11", "Aude", "Carcassonne"),
    dep("12", "Aveyron", "Rodez"),
    dep("13", "Bouches-du-Rhône", "Marseille"),
    dep("14", "Calvados", "Caen"),
    dep("15", "Cantal", "Aurillac"),
    dep("16", "Charente", "Angoulême"),
    dep("17", "Charente-Maritime", "La Rochelle"),
    dep("18", "Cher", "Bourges"),
    dep("19", "Corrèze", "Tulle"),
    dep("2A", "Corse-du-Sud", "Ajaccio"),
    dep("2B", "Haute-Corse", "Bastia"),
    dep("21", "Côte-d'Or", "Dijon"),
    dep("22", "Côtes-d'Armor", "Saint-Brieuc"),
    dep("23", "Creuse", "Guéret"),
    dep("24", "Dordogne", "Périgueux"),
    dep("25", "Doubs", "Besançon"),
    dep("26", "Drôme", "Valence"),
    dep("27", "Eure", "Évreux"),
    dep("28", "Eure-et-Loir", "Chartres"),
    dep("29", "Finistère", "Quimper"),
    dep("30", "Gard", "Nîmes"),
    dep("31", "Haute-Garonne", "Toulouse"),
    dep("32", "Gers", "Auch"),
    dep("33", "Gironde", "Bordeaux"),
    dep("34", "Hérault", "Montpellier"),
    dep("35", "Ille-et-Vilaine", "Rennes"),
    dep("36", "Indre", "Châteauroux"),
    dep("37", "Indre-et-Loire", "Tours"),
    dep("38", "Isère", "Grenoble"),
    dep("39", "Jura", "Lons-le-Saunier"),
    dep("40", "Landes", "Mont-de-Marsan"),
    dep("41", "Loir-et-Cher", "Blois"),
    dep("42", "Loire", "Saint-Étienne"),
    dep("43", "Haute-Loire", "Le Puy-en-Velay"),
    dep("44", "Loire-Atlantique", "Nantes"),
    dep("45", "Loiret", "Orléans"),
    dep("46", "Lot", "Cahors"),
    dep("47", "Lot-et-Garonne", "Agen"),
    dep("48", "Lozère", "Mende"),
    dep("49", "Maine-et-Loire", "Angers"),
    dep("50", "Manche", "Saint-Lô"),
    dep("51", "Marne", "Châlons-en-Champagne"),
    dep("52", "Haute-Marne", "Chaumont"),
    dep("53", "Mayenne", "Laval"),
    dep("54", "Meurthe-et-Moselle", "Nancy"),
    dep("55", "Meuse", "Bar-le-Duc"),
    dep("56", "Morbihan", "Vannes"),
    dep("57", "Moselle", "Metz"),
    dep("58", "Nièvre", "Nevers"),
    dep("59", "Nord", "Lille"),
    dep("60", "Oise", "Beauvais"),
    dep("61", "Orne", "Alençon"),
    dep("62", "Pas-de-Calais", "Arras"),
    dep("63", "Puy-de-Dôme", "Clermont-Ferrand"),
    dep("64", "Pyrénées-Atlantiques", "Pau"),
    dep("65", "Hautes-Pyrénées", "Tarbes"),
    dep("66", "Pyrénées-Orientales", "Perpignan"),
    dep("67", "Bas-Rhin", "Strasbourg"),
    dep("68", "Haut-Rhin", "Colmar"),
    dep("69", "Rhône", "Lyon"),
    dep("70", "Haute-Saône", "Vesoul"),
    dep("71", "Saône-et-Loire", "Mâcon"),
    dep("72", "Sarthe", "Le Mans"),
    dep("73", "Savoie", "Chambéry"),
    dep("74", "Haute-Savoie", "Annecy"),
    dep("75", "Paris", "Paris"),
    dep("76", "Seine-Maritime", "Rouen"),
    dep("77", "Seine-et-Marne", "Melun"),
    dep("78", "Yvelines", "Versailles"),
    dep("79", "Deux-Sèvres", "Niort"),
    dep("80", "Somme", "Amiens"),
    dep("81", "Tarn", "Albi"),
    dep("82", "Tarn-et-Garonne", "Montauban"),
    dep("83", "Var", "Toulon"),
    dep("84", "Vaucluse", "Avignon"),
    dep("85", "Vendée", "La Roche-sur-Yon"),
    dep("86", "Vienne", "Poitiers"),
    dep("87", "Haute-Vienne", "Limoges"),
    dep("88", "Vosges", "Épinal"),
    dep("89", "Yonne", "Auxerre"),
    dep("90", "Territoire de Belfort", "Belfort"),
    dep("91", "Essonne", "Évry-Courcouronnes"),
    dep("92", "Hauts-de-Seine", "Nanterre"),
    dep("93", "Seine-Saint-Denis", "Bobigny"),
    dep("94", "Val-de-Marne", "Créteil"),
    dep("95", "Val-d'Oise", "Pontoise"),
    dep("971", "Guadeloupe", "Basse-Terre"),
    dep("972", "Martinique", "Fort-de-France"),
    dep("973", "Guyane", "Cayenne"),
    dep("974", "La Réunion", "Saint-Denis"),
    dep("976", "Mayotte", "Mamoudzou"),
];

/// Other names under which reports give a préfecture's city, mapped to the department
/// code: former or short official names (Évry, merged into Évry-Courcouronnes in 2019;
/// Châlons-sur-Marne, renamed 1998; Digne, renamed 1988; Le Puy, renamed 1988), and
/// Cergy / Cergy-Pontoise, where the préfecture of the Val-d'Oise actually sits while
/// Pontoise remains the official chef-lieu.
const PREFECTURE_ALIASES: [(&str, &str); 6] = [
    ("Cergy", "95"),
    ("Cergy-Pontoise", "95"),
    ("Évry", "91"),
    ("Châlons-sur-Marne", "51"),
    ("Digne", "04"),
    ("Le Puy", "43"),
];

/// Leading articles that may precede a department name (already normalised: "l'" is "l ").
const ARTICLES: [&str; 4] = ["la ", "le ", "les ", "l "];

/// Words that introduce a department in free text (normalised, with their trailing space).
const TRIGGERS: [&str; 2] = ["prefecture ", "departement "];

/// Connectives between a trigger word and the name (normalised: "de l'" is "de l ").
const CONNECTIVES: [&str; 6] = ["de la ", "de l ", "des ", "du ", "de ", "d "];

/// Normalised keys computed once.
struct Index {
    /// Name, name without article and code → department.
    by_key: HashMap<String, &'static Department>,
    /// Préfecture city (and aliases) → department.
    by_prefecture: HashMap<String, &'static Department>,
    /// Normalised names (with article-less and "st" variants), longest first.
    names: Vec<(String, &'static Department)>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut by_key = HashMap::new();
        let mut by_prefecture = HashMap::new();
        let mut names = Vec::new();
        for d in &DEPARTMENTS {
            let name = normalize(d.name);
            let mut variants = vec![name.clone()];
            if let Some(rest) = strip_article(&name) {
                variants.push(rest.to_owned());
            }
            for v in variants.clone() {
                let abbreviated = abbreviate_saint(&v);
                if abbreviated != v {
                    variants.push(abbreviated);
                }
            }
            for v in variants {
                by_key.insert(v.clone(), d);
                names.push((v, d));
            }
            by_key.insert(normalize(d.code), d);
            by_prefecture.insert(normalize(d.prefecture), d);
        }
        for (city, code) in PREFECTURE_ALIASES {
            let d = DEPARTMENTS
                .iter()
                .find(|d| d.code == code)
                .expect("alias code in table");
            by_prefecture.insert(normalize(city), d);
        }
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Index {
            by_key,
            by_prefecture,
            names,
        }
    })
}

/// [`fold`], then '-', '\'' and whitespace all become one space, and the abbreviations
/// "st"/"ste" are spelled out as "saint"/"sainte".
fn normalize(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| c == '-' || c == '\'' || c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(match word {
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        });
    }
    out
}

/// The "saint" → "st" spelling of a normalised name ("seine st denis"), used to find
/// abbreviated names in free text, where [`normalize`] is not applied word by word.
fn abbreviate_saint(normalized: &str) -> String {
    normalized
        .split(' ')
        .map(|w| match w {
            "saint" => "st",
            "sainte" => "ste",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn strip_article(normalized: &str) -> Option<&str> {
    ARTICLES
        .iter()
        .find_map(|a| normalized.strip_prefix(a))
        .filter(|rest| !rest.is_empty())
}

/// Finds a department from how reports write it: "TARN ET GARONNE", "Tarn-et-Garonne",
/// "tarn et garonne", "CORREZE", "Corrèze", "Côtes d'Armor", "Cotes-d-Armor",
/// "La Réunion"/"Reunion", "Val d'Oise", "Seine-St-Denis", also by code ("82", "2A",
/// "971"), with or without a leading article ("la Manche", "le Nord", "l'Ain").
///
/// Matching is exact after normalisation: [`fold`], then '-', '\'' and spaces are
/// equivalent separators, and "St"/"Ste" stand for "Saint"/"Sainte". No fuzzy matching.
pub fn lookup(text: &str) -> Option<&'static Department> {
    let key = normalize(text);
    let by_key = &index().by_key;
    by_key
        .get(&key)
        .or_else(|| strip_article(&key).and_then(|rest| by_key.get(rest)))
        .copied()
}

/// Finds a department by its préfecture city ("Montauban" → Tarn-et-Garonne), with the
/// same normalisation as [`lookup`] (the article of "La Rochelle", "Le Mans" is part of
/// the city's name and must be given). Former names of a few préfectures are accepted
/// ("Évry", "Châlons-sur-Marne", "Digne", "Le Puy"), and "Cergy" or "Cergy-Pontoise"
/// for the Val-d'Oise, whose official chef-lieu is Pontoise.
pub fn by_prefecture(city: &str) -> Option<&'static Department> {
    index().by_prefecture.get(&normalize(city)).copied()
}

/// Every department named in free text, each once, with the byte offset in the
/// ORIGINAL text of its first mention, in text order.
///
/// To avoid false positives from ordinary words and rivers ("le lot de documents",
/// "la Loire", "le Nord"), a name is only recognised when, in the normalised text
/// (folded, '-', '\'' and whitespace read as one space), it directly follows
/// "préfecture" or "département" and one of "de ", "du ", "de la ", "des ", "de l'",
/// "d'": "la Préfecture de Corrèze" → Corrèze, "préfecture du Tarn et Garonne" →
/// Tarn-et-Garonne. The name must end at a word boundary, and the longest name wins
/// where names overlap ("Tarn-et-Garonne", never "Tarn"; "Haute-Garonne" only). The
/// offset is that of the name itself ("La" for "préfecture de La Réunion").
pub fn find_in_text(text: &str) -> Vec<(usize, &'static Department)> {
    let (norm, offsets) = normalize_with_offsets(text);
    let mut starts: Vec<usize> = TRIGGERS
        .iter()
        .flat_map(|t| norm.match_indices(t).map(|(i, t)| (i, t.len())))
        .filter(|&(i, _)| {
            !norm[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        })
        .map(|(i, len)| i + len)
        .collect();
    starts.sort_unstable();
    let names = &index().names;
    let mut found: Vec<(usize, &'static Department)> = Vec::new();
    for after_trigger in starts {
        let rest = &norm[after_trigger..];
        let mut best: Option<(usize, usize, &'static Department)> = None;
        for connective in CONNECTIVES {
            let Some(tail) = rest.strip_prefix(connective) else {
                continue;
            };
            let Some((name, d)) = names.iter().find(|(name, _)| {
                tail.starts_with(name.as_str())
                    && !tail[name.len()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
            }) else {
                continue;
            };
            let start = after_trigger + connective.len();
            let end = start + name.len();
            if best.is_none_or(|(s, e, _)| end > e || (end == e && start < s)) {
                best = Some((start, end, d));
            }
        }
        if let Some((start, _, d)) = best {
            if !found.iter().any(|(_, f)| f.code == d.code) {
                found.push((offsets[start], d));
            }
        }
    }
    found
}

/// Applies [`normalize`]'s folding and separator rules to free text (without the
/// "st" expansion), keeping for each output byte the offset of the input character
/// it came from. Mirrors [`fold`] character by character, without allocating per char.
fn normalize_with_offsets(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
    let mut pending_space = false;
    let mut push = |c: char, at: usize, out: &mut String, pending_space: &mut bool| {
        if c.is_whitespace() || c == '-' || c == '\'' {
            *pending_space = !out.is_empty();
            return;
        }
        if *pending_space {
            out.push(' ');
            offsets.push(at);
            *pending_space = false;
        }
        out.push(c);
        offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
    };
    for (at, c) in text.char_indices() {
        if c.is_ascii() {
            let c = if c == '`' {
                '\''
            } else {
                c.to_ascii_lowercase()
            };
            push(c, at, &mut out, &mut pending_space);
            continue;
        }
        decompose_canonical(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            match d {
                '’' | '‘' | '`' | '´' | 'ʼ' => push('\'', at, &mut out, &mut pending_space),
                '·' | '•' | '‐' | '‑' | '‒' | '–' | '—' => {
                    push('-', at, &mut out, &mut pending_space)
                }
                'œ' | 'Œ' => "oe"
                    .chars()
                    .for_each(|c| push(c, at, &mut out, &mut pending_space)),
                'æ' | 'Æ' => "ae"
                    .chars()
                    .for_each(|c| push(c, at, &mut out, &mut pending_space)),
                _ if d.is_whitespace() => push(d, at, &mut out, &mut pending_space),
                _ => d
                    .to_lowercase()
                    .for_each(|c| push(c, at, &mut out, &mut pending_space)),
            }
        });
    }
    (out, offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(d: Option<&Department>) -> Option<&'static str> {
        d.map(|d| d.name)
    }

    #[test]
    fn table_has_101_departments_with_unique_codes_names_and_prefectures() {
        assert_eq!(DEPARTMENTS.len(), 101);
        let mut codes: Vec<_> = DEPARTMENTS.iter().map(|d| d.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 101);
        let mut names: Vec<_> = DEPARTMENTS.iter().map(|d| normalize(d.name)).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 101);
        let mut cities: Vec<_> = DEPARTMENTS
            .iter()
            .map(|d| normalize(d.prefecture))
            .collect();
        cities.sort_unstable();
        cities.dedup();
        assert_eq!(cities.len(), 101);
        assert_eq!(DEPARTMENTS.iter().filter(|d| d.code.len() == 3).count(), 5);
        for d in &DEPARTMENTS {
            assert_eq!(lookup(d.name), Some(d), "{}", d.name);
            assert_eq!(lookup(d.code), Some(d), "{}", d.code);
            assert_eq!(by_prefecture(d.prefecture), Some(d), "{}", d.prefecture);
        }
    }

    #[test]
    fn lookup_accepts_report_spellings() {
        for text in [
            "TARN ET GARONNE",
            "Tarn-et-Garonne",
            "tarn et garonne",
            "82",
            "le Tarn-et-Garonne",
        ] {
            assert_eq!(name_of(lookup(text)), Some("Tarn-et-Garonne"), "{text}");
        }
        for text in ["CORREZE", "Corrèze", "la Corrèze", "19"] {
            assert_eq!(name_of(lookup(text)), Some("Corrèze"), "{text}");
        }
        for text in ["Côtes d'Armor", "Cotes-d-Armor", "CÔTES-D’ARMOR", "22"] {
            assert_eq!(name_of(lookup(text)), Some("Côtes-d'Armor"), "{text}");
        }
        for text in ["La Réunion", "Reunion", "LA REUNION", "974"] {
            assert_eq!(name_of(lookup(text)), Some("La Réunion"), "{text}");
        }
        for text in ["Val d'Oise", "Val-d'Oise", "VAL D OISE", "95"] {
            assert_eq!(name_of(lookup(text)), Some("Val-d'Oise"), "{text}");
        }
        assert_eq!(name_of(lookup("Seine-St-Denis")), Some("Seine-Saint-Denis"));
        assert_eq!(name_of(lookup("l'Ain")), Some("Ain"));
        assert_eq!(
            name_of(lookup("Territoire-de-Belfort")),
            Some("Territoire de Belfort")
        );
        assert_eq!(name_of(lookup("2A")), Some("Corse-du-Sud"));
        assert_eq!(name_of(lookup("2b")), Some("Haute-Corse"));
        assert_eq!(name_of(lookup("971")), Some("Guadeloupe"));
        assert_eq!(name_of(lookup("Côte d'Or")), Some("Côte-d'Or"));
        assert_eq!(lookup("Garonne"), None);
        assert_eq!(lookup("Corse"), None);
        assert_eq!(lookup("975"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("la"), None);
    }

    #[test]
    fn by_prefecture_finds_the_department() {
        assert_eq!(name_of(by_prefecture("Montauban")), Some("Tarn-et-Garonne"));
        assert_eq!(name_of(by_prefecture("TULLE")), Some("Corrèze"));
        assert_eq!(name_of(by_prefecture("Paris")), Some("Paris"));
        assert_eq!(name_of(by_prefecture("St-Brieuc")), Some("Côtes-d'Armor"));
        assert_eq!(name_of(by_prefecture("Saint Étienne")), Some("Loire"));
        assert_eq!(name_of(by_prefecture("Evry")), Some("Essonne"));
        assert_eq!(name_of(by_prefecture("Pontoise")), Some("Val-d'Oise"));
        assert_eq!(name_of(by_prefecture("CERGY")), Some("Val-d'Oise"));
        assert_eq!(name_of(by_prefecture("Saint-Denis")), Some("La Réunion"));
        assert_eq!(by_prefecture("Brive-la-Gaillarde"), None);
    }

    #[test]
    fn find_in_text_needs_a_prefecture_or_department_prefix() {
        let text = "Les services de la préfecture du Tarn et Garonne se situent à Montauban.";
        let found = find_in_text(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.name, "Tarn-et-Garonne");
        assert!(text[found[0].0..].starts_with("Tarn et Garonne"));

        let text = "la Préfecture de Corrèze a poursuivi";
        let found = find_in_text(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.name, "Corrèze");
        assert!(text[found[0].0..].starts_with("Corrèze"));

        let text = "Le département de la Haute-Garonne et la préfecture de l’Ariège ; la Garonne.";
        let found = find_in_text(text);
        let names: Vec<_> = found.iter().map(|(_, d)| d.name).collect();
        assert_eq!(names, ["Haute-Garonne", "Ariège"]);
        assert!(text[found[0].0..].starts_with("Haute-Garonne"));
        assert!(text[found[1].0..].starts_with("Ariège"));

        assert!(find_in_text("Le lot de documents").is_empty());
        assert!(find_in_text("Le Lot de documents, le Nord, la Loire et le Var").is_empty());
        assert!(find_in_text("la préfecture de Lotissement").is_empty());
        assert_eq!(
            find_in_text("PRÉFECTURE DU LOT. Préfecture du Lot-et-Garonne.")
                .iter()
                .map(|(_, d)| d.name)
                .collect::<Vec<_>>(),
            ["Lot", "Lot-et-Garonne"]
        );
    }

    #[test]
    fn find_in_text_reports_each_department_once_at_the_name() {
        let text =
            "préfecture de La Réunion, département d'Ille-et-Vilaine, préfecture de la Réunion";
        let found = find_in_text(text);
        let names: Vec<_> = found.iter().map(|(_, d)| d.name).collect();
        assert_eq!(names, ["La Réunion", "Ille-et-Vilaine"]);
        assert!(text[found[0].0..].starts_with("La Réunion"));
        assert!(text[found[1].0..].starts_with("Ille-et-Vilaine"));
        let text = "Préfecture de Seine-St-Denis";
        assert_eq!(find_in_text(text)[0].1.name, "Seine-Saint-Denis");
    }

    #[test]
    fn streaming_normalisation_matches_fold() {
        for s in [
            "  Préfecture DU Tarn–et—Garonne\u{a0}: Cœur d’Æsop ",
            "Re\u{301}union l' Oise -- x d`Or",
            "ÉVRY · Châlons",
        ] {
            let expected = fold(s)
                .replace(['-', '\''], " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let (norm, offsets) = normalize_with_offsets(s);
            assert_eq!(norm, expected, "{s}");
            assert_eq!(offsets.len(), norm.len());
            assert!(offsets.iter().all(|&o| s.is_char_boundary(o)));
        }
    }
}
