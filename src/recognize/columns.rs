//! The grid columns' roles from their content (issue 10, "structure before wording"): a
//! template says in which order its grid puts the commitment, the appraisal and the
//! conformity code, but a prefecture may print them otherwise under its own heading
//! ("Engagement" | "Niveau" | "Observations"). The column whose cells hold almost only
//! conformity codes is the conformity column, the one holding the numbered titles and
//! "Module N" lines the commitment column, the other the appraisal. When that differs
//! from the template's order, the grid is read with the report's order
//! ([`Reordered`]) and a `grid_columns_by_content` diagnostic says so.

use super::lexicon::LineKind;
use super::template::{Detection, Layout, Numbering, Role, Template};
use super::Recognized;
use crate::model::{Assessment, Channel, ReferentialName, Theme};
use crate::recognize::lexicon::Lexicon;
use crate::source::{Column, Line, SourceDocument};

/// Cells of codes needed before the content may overrule the template's order.
const MIN_CODES: usize = 3;

/// The roles of a three-column grid's columns, left to right, as their content shows
/// them, when they differ from the template's order; `None` when they agree or the
/// content does not tell.
pub(crate) fn roles_by_content(
    template: &dyn Template,
    lines: &[Line],
    kinds: &[LineKind],
) -> Option<Vec<Role>> {
    let Layout::Grid { roles, .. } = template.layout() else {
        return None;
    };
    let n = roles.len();
    let three = [Role::Commitment, Role::Appraisal, Role::Conformity];
    if n != 3 || !three.iter().all(|r| roles.contains(r)) {
        return None;
    }
    // Per column: cells read, codes, row starts (numbered titles, "Module N").
    let mut cells = vec![0usize; n];
    let mut codes = vec![0usize; n];
    let mut starts = vec![0usize; n];
    for (line, kind) in lines.iter().zip(kinds) {
        let Some(Column::Cell { index, of }) = line.position.map(|p| p.column) else {
            continue;
        };
        if usize::from(of) != n || matches!(kind, LineKind::Blank | LineKind::PageHeader) {
            continue;
        }
        let c = usize::from(index);
        cells[c] += 1;
        match kind {
            LineKind::Code(_) => codes[c] += 1,
            LineKind::ItemStart { .. } | LineKind::ModuleTag(_) => starts[c] += 1,
            _ => {}
        }
    }
    // The conformity column: most codes, and codes at least 60 % of its cells.
    let conformity = (0..n).max_by_key(|&c| (codes[c], std::cmp::Reverse(c)))?;
    if codes[conformity] < MIN_CODES || codes[conformity] * 10 < cells[conformity] * 6 {
        return None;
    }
    let commitment = (0..n)
        .filter(|&c| c != conformity)
        .max_by_key(|&c| (starts[c], std::cmp::Reverse(c)))?;
    if starts[commitment] < 2 {
        return None;
    }
    let found: Vec<Role> = (0..n)
        .map(|c| match c {
            _ if c == conformity => Role::Conformity,
            _ if c == commitment => Role::Commitment,
            _ => Role::Appraisal,
        })
        .collect();
    (found != roles).then_some(found)
}

/// A grid template read with the columns in the report's own order.
#[derive(Debug)]
pub(crate) struct Reordered<'t> {
    pub base: &'t dyn Template,
    pub roles: Vec<Role>,
}

impl Template for Reordered<'_> {
    fn name(&self) -> &'static str {
        self.base.name()
    }
    fn serves(&self, referential: ReferentialName) -> bool {
        self.base.serves(referential)
    }
    fn detect(&self, lines: &[Line]) -> Detection {
        self.base.detect(lines)
    }
    fn lexicon(&self) -> &'static Lexicon {
        self.base.lexicon()
    }
    fn layout(&self) -> Layout {
        self.base.layout()
    }
    fn numbering(&self) -> Option<&'static Numbering> {
        self.base.numbering()
    }
    fn channel(&self, module: Option<u8>, number: u32) -> Option<Channel> {
        self.base.channel(module, number)
    }
    fn police_module(&self) -> Option<u8> {
        self.base.police_module()
    }
    fn theme(&self, assessment: &Assessment) -> Theme {
        self.base.theme(assessment)
    }
    fn read(&self, _doc: &SourceDocument) -> Option<Recognized> {
        None
    }
    fn role(&self, column: Column) -> Role {
        match column {
            Column::Cell { index, of } if usize::from(of) == self.roles.len() => {
                self.roles[usize::from(index)]
            }
            _ => Role::Full,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::classify;
    use super::super::template::QualEPref;
    use super::*;
    use crate::source::Position;

    fn cell(i: usize, index: u8, text: &str) -> Line {
        Line {
            number: i + 1,
            page: Some(1),
            text: text.to_owned(),
            position: Some(Position {
                x: 0.0,
                y: 0.0,
                column: Column::Cell { index, of: 3 },
            }),
        }
    }

    fn roles(cells: &[(u8, &str)]) -> Option<Vec<Role>> {
        let lines: Vec<Line> = cells
            .iter()
            .enumerate()
            .map(|(i, &(c, t))| cell(i, c, t))
            .collect();
        let kinds: Vec<LineKind> = lines
            .iter()
            .map(|l| classify(QualEPref.lexicon(), &l.text, false))
            .collect();
        roles_by_content(&QualEPref, &lines, &kinds)
    }

    #[test]
    fn the_column_of_codes_is_the_conformity_column() {
        let swapped = [
            (0, "1. Nous vous informons"),
            (1, "C"),
            (2, "Note : Horaires affichés."),
            (0, "2. Un accueil attentif"),
            (1, "NC min"),
            (2, "PS : Pas d'enquête."),
            (0, "3. A votre écoute"),
            (1, "NA"),
        ];
        assert_eq!(
            roles(&swapped),
            Some(vec![Role::Commitment, Role::Conformity, Role::Appraisal])
        );
        // The template's own order: nothing to overrule.
        let usual: Vec<(u8, &str)> = swapped
            .iter()
            .map(|&(c, t)| (if c == 0 { 0 } else { 3 - c }, t))
            .collect();
        assert_eq!(roles(&usual), None);
        // Too few codes to tell.
        assert_eq!(roles(&swapped[..5]), None);
    }
}
