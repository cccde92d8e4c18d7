//! Second pass over the grid part: rows of the three-column grid → assessments.
//!
//! Builds one draft per commitment cell (module tag + numbered title, or a numbered
//! pilotage / labellisation item), gathers its annotations and code, then gives each
//! row its phase. In stream order, remote-phase headers may trail the rows they head
//! at the end of their page; [`assign_phases`] places them back.

use super::lexicon::LineKind;
use super::template::{Role, Template};
use super::vocabulary::Vocabulary;
use super::Ctx;
use crate::model::{
    Annotation, AnnotationKind, Channel, Conformity, Phase, Provenance, Section, Severity,
};
use crate::source::{Line, LineOrder};
use crate::text::join_lines;

/// A row being read: the commitment cell, its annotations and its code.
#[derive(Debug, Clone)]
pub struct Row {
    pub section: Section,
    pub module: Option<u8>,
    pub number: u32,
    pub title: Vec<String>,
    title_closed: bool,
    pub annotations: Vec<(AnnotationKind, Vec<String>)>,
    pub conformity: Option<Conformity>,
    pub channel_header: Option<Channel>,
    pub phase: Phase,
    pub first_line: usize,
    pub last_line: usize,
    pub page: Option<u32>,
    /// Index of the page segment (between two grid headings) the row sits in.
    segment: usize,
    /// Line of the last content of the row, for a code that ends it.
    last_content: Option<LastContent>,
    /// A code glued to the end of the title when a page break cut the title (stream
    /// text: "… d'accueil et  C", the repeated heading, then "d'attente"): the code of
    /// the row, kept aside until the row closes so that the rest reads as before it.
    code_before_break: Option<Conformity>,
    /// Title lines before that break: the title goes on after the heading until a
    /// blank line or a marker.
    title_cut: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
enum LastContent {
    Title,
    Annotation,
}

impl Row {
    pub fn title(&self) -> String {
        join_lines(self.title.iter().map(String::as_str))
    }

    pub fn annotations(&self) -> Vec<Annotation> {
        self.annotations
            .iter()
            .map(|(kind, lines)| Annotation {
                kind: *kind,
                text: join_lines(lines.iter().map(String::as_str)),
                confidence: None,
            })
            .collect()
    }

    pub fn provenance(&self) -> Provenance {
        Provenance {
            page: self.page,
            line_start: self.first_line,
            line_end: self.last_line,
        }
    }

    /// Takes a conformity code off the end of the row's last text line.
    fn take_trailing_code(&mut self, vocabulary: &Vocabulary) -> bool {
        let last = match self.last_content {
            Some(LastContent::Title) => self.title.last_mut(),
            Some(LastContent::Annotation) => self
                .annotations
                .last_mut()
                .and_then(|(_, lines)| lines.last_mut()),
            None => None,
        };
        let Some(line) = last else { return false };
        let Some((before, code)) = vocabulary.trailing_code(line) else {
            return false;
        };
        *line = before.to_owned();
        self.conformity = Some(code);
        true
    }
}

/// A full-width header met in the grid, kept in order with the rows.
#[derive(Debug, Clone)]
enum Event {
    Row(usize),
    Phase {
        phase: Phase,
        segment: usize,
        line: usize,
    },
}

/// Reads the grid lines into rows, in document order, with their phases.
/// `kinds` holds the class of each line (as [`classify`] gives it).
pub fn read_grid(
    template: &dyn Template,
    lines: &[Line],
    kinds: &[LineKind],
    order: LineOrder,
    ctx: &mut Ctx,
) -> Vec<Row> {
    let mut reader = GridReader::new(template, ctx);
    for (line, kind) in lines.iter().zip(kinds) {
        reader.feed(line, kind.clone());
    }
    reader.finish();
    let GridReader { rows, events, .. } = reader;
    assign_phases(template, rows, &events, order, ctx)
}

struct GridReader<'c> {
    template: &'c dyn Template,
    vocabulary: &'c Vocabulary,
    ctx: &'c mut Ctx,
    rows: Vec<Row>,
    events: Vec<Event>,
    current: Option<Row>,
    section: Section,
    module: Option<u8>,
    channel: Option<Channel>,
    /// "Module N" seen: the next numbered line is a commitment.
    pending_tag: Option<(u8, usize)>,
    segment: usize,
    last_was_page_header: bool,
    last_item: u32,
    /// Cells of a tagged row read before its number: in a rebuilt layout, a row split
    /// by a page break may show its tag, annotations and code on one page and its
    /// numbered title on the next.
    held: Vec<(Line, LineKind)>,
}

impl<'c> GridReader<'c> {
    fn new(template: &'c dyn Template, ctx: &'c mut Ctx) -> Self {
        GridReader {
            template,
            vocabulary: &template.lexicon().vocabulary,
            ctx,
            rows: Vec::new(),
            events: Vec::new(),
            current: None,
            section: Section::Module,
            module: None,
            channel: None,
            pending_tag: None,
            segment: 0,
            last_was_page_header: false,
            last_item: 0,
            held: Vec::new(),
        }
    }

    fn feed(&mut self, line: &Line, mut kind: LineKind) {
        // In a rebuilt grid, headers span the full width: a wrapped title line that
        // reads "site internet" inside a cell is text. A remote-phase header ("AUDIT A
        // DISTANCE : Internet") reads like no title line: a layout-mode text dump,
        // which cannot tell a short full-width row from a cell, may put it in one.
        let in_cell = self.role_of(line).is_some();
        if in_cell && matches!(kind, LineKind::ChannelHeader(_) | LineKind::ModuleHeader(_)) {
            kind = LineKind::Text;
        }
        let after_page_header = std::mem::replace(&mut self.last_was_page_header, false);
        if self.pending_tag.is_some()
            && self.role_of(line).is_some_and(|r| r != Role::Commitment)
            && matches!(
                kind,
                LineKind::Marker { .. } | LineKind::Code(_) | LineKind::Text
            )
        {
            self.held.push((line.clone(), kind));
            return;
        }
        match kind {
            LineKind::Blank => self.blank(),
            LineKind::PageHeader => {
                if !after_page_header {
                    self.segment += 1;
                    self.title_cut_by_break();
                }
                self.last_was_page_header = true;
            }
            // The heading's "Commentaires" may stand alone on its own line.
            LineKind::ConclusionLabel(super::lexicon::ConclusionBox::Comments)
                if after_page_header =>
            {
                self.last_was_page_header = true;
            }
            LineKind::PartTitle(_) | LineKind::Bullet => {}
            LineKind::ModuleHeader(n) => {
                self.close();
                self.section = Section::Module;
                self.module = Some(n);
                self.channel = None;
            }
            LineKind::ModuleTag(n) => {
                self.close();
                self.drop_held();
                self.pending_tag = Some((n, line.number));
            }
            LineKind::ChannelHeader(_) if self.lone_email_past_module_one(line) => {
                self.ctx.diagnose(
                    Severity::Info,
                    "remote_phase_inferred",
                    format!(
                        "\"{}\" after Module 1 read as the e-mail phase of the remote audit \
                         (the report names no remote audit)",
                        line.text.trim()
                    ),
                    Some(line),
                );
                self.phase_header(Phase::RemoteEmail, line);
            }
            LineKind::ChannelHeader(c) => {
                self.close();
                self.channel = Some(c);
            }
            LineKind::PhaseHeader(phase) => self.phase_header(phase, line),
            LineKind::PilotageHeader => self.start_section(Section::Pilotage),

            LineKind::LabellisationHeader => self.start_section(Section::Labellisation),
            LineKind::ItemStart { number, rest } if self.starts_row(number, line) => {
                self.open(number, &rest, line)
            }
            LineKind::Marker { kind, rest } => self.annotation(kind, &rest, line),
            LineKind::Code(code) => self.code(code, line),
            _ => self.text(line),
        }
    }

    fn phase_header(&mut self, phase: Phase, line: &Line) {
        self.close();
        self.channel = None;
        self.events.push(Event::Phase {
            phase,
            segment: self.segment,
            line: line.number,
        });
    }

    /// A lone "COURRIELS" heading once the grid has left Module 1 (a later module, the
    /// quality policy or labelling): Module 1's channels head only Module 1 rows, so it
    /// heads the e-mail phase of a remote audit, even in a report that never says
    /// "audit à distance".
    fn lone_email_past_module_one(&self, line: &Line) -> bool {
        let past_module_one = self.section != Section::Module || self.module.is_some_and(|m| m > 1);
        !self.ctx.courriels_is_phase
            && past_module_one
            && crate::text::fold(&crate::text::collapse_whitespace(&line.text))
                == self.template.lexicon().phases.lone_email
    }

    fn start_section(&mut self, section: Section) {
        self.close();
        self.section = section;
        self.module = None;
        self.channel = None;
        self.last_item = 0;
    }

    /// Whether a numbered line opens a row here, or is text inside one.
    fn starts_row(&self, number: u32, line: &Line) -> bool {
        if matches!(self.role_of(line), Some(Role::Appraisal | Role::Conformity)) {
            return false;
        }
        if self.pending_tag.is_some() {
            return true;
        }
        match self.section {
            // Pilotage and labellisation items have no tag: accept the next number up.
            Section::Pilotage | Section::Labellisation => number > self.last_item && number <= 9,
            // A module row without its "Module N" tag, once the previous row is complete.
            Section::Module => {
                self.module.is_some()
                    && self
                        .current
                        .as_ref()
                        .is_none_or(|row| row.conformity.is_some())
            }
        }
    }

    fn open(&mut self, number: u32, rest: &str, line: &Line) {
        self.close();
        let tag = self.pending_tag.take();
        let module = match tag {
            Some((m, _)) => {
                if self.section != Section::Module {
                    // A tagged row after pilotage/labellisation: back to module rows.
                    self.section = Section::Module;
                    self.channel = None;
                }
                if self.module != Some(m) {
                    self.channel = None;
                }
                self.module = Some(m);
                Some(m)
            }
            None if self.section == Section::Module => self.module,
            None => None,
        };
        let first_line = tag.map_or(line.number, |(_, tag_line)| tag_line);
        self.last_item = number;
        let mut row = Row {
            section: self.section,
            module,
            number,
            title: Vec::new(),
            title_closed: false,
            annotations: Vec::new(),
            conformity: None,
            channel_header: self.channel,
            phase: Phase::OnSite,
            first_line,
            last_line: line.number,
            page: line.page,
            segment: self.segment,
            last_content: None,
            code_before_break: None,
            title_cut: None,
        };
        // Title and first annotation may share the line.
        match self.vocabulary.inline_marker_start(rest) {
            Some(at) => {
                row.title.push(rest[..at].to_owned());
                row.title_closed = true;
                self.current = Some(row);
                let (kind, text) = self
                    .vocabulary
                    .marker(&rest[at..])
                    .unwrap_or((AnnotationKind::Note, &rest[at..]));
                self.annotation(kind, text, line);
            }
            None => {
                row.title.push(rest.to_owned());
                row.last_content = Some(LastContent::Title);
                self.current = Some(row);
            }
        }
        for (held, kind) in std::mem::take(&mut self.held) {
            self.feed(&held, kind);
        }
    }

    fn blank(&mut self) {
        if let Some(row) = self.current.as_mut() {
            match row.title_cut {
                // Blank lines of the repeated heading, before the title's rest.
                Some(before) if row.title.len() <= before => {}
                _ if !row.title.is_empty() => {
                    row.title_closed = true;
                    row.title_cut = None;
                }
                _ => {}
            }
        }
    }

    /// At a page heading: a row still in its title whose last line ends with a code
    /// was cut by the page break, the code printed at the top of its cell before it.
    /// Only the glued code says so; without it the title is taken as whole.
    fn title_cut_by_break(&mut self) {
        let vocabulary = self.vocabulary;
        let Some(row) = self.current.as_mut() else {
            return;
        };
        let in_title = row.annotations.is_empty()
            && row.conformity.is_none()
            && matches!(row.last_content, Some(LastContent::Title));
        if !in_title || row.title_cut.is_some() {
            return;
        }
        let Some(last) = row.title.last_mut() else {
            return;
        };
        let Some((before, code)) = vocabulary.trailing_code(last) else {
            return;
        };
        *last = before.to_owned();
        row.code_before_break = Some(code);
        row.title_cut = Some(row.title.len());
        row.title_closed = false;
    }

    fn annotation(&mut self, kind: AnnotationKind, text: &str, line: &Line) {
        let Some(row) = self.current.as_mut() else {
            self.ctx.diagnose(
                Severity::Warning,
                "unplaced_text",
                format!("annotation outside any commitment: {}", line.text.trim()),
                Some(line),
            );
            return;
        };
        if row.conformity.is_some() && line_role(self.template, line).is_none() {
            self.ctx.diagnose(
                Severity::Warning,
                "text_after_code",
                format!(
                    "annotation after the conformity code of commitment {}",
                    row.number
                ),
                Some(line),
            );
        }
        row.title_closed = true;
        row.annotations.push((kind, vec![text.to_owned()]));
        row.last_content = Some(LastContent::Annotation);
        row.last_line = line.number;
    }

    fn code(&mut self, code: Conformity, line: &Line) {
        let Some(row) = self.current.as_mut() else {
            self.ctx.diagnose(
                Severity::Warning,
                "unplaced_text",
                format!(
                    "conformity code outside any commitment: {}",
                    line.text.trim()
                ),
                Some(line),
            );
            return;
        };
        if let Some(previous) = row.conformity {
            if previous != code {
                self.ctx.diagnose(
                    Severity::Warning,
                    "conflicting_codes",
                    format!("commitment {} has two codes", row.number),
                    Some(line),
                );
            }
        }
        row.conformity = Some(code);
        row.last_content = None;
        row.last_line = line.number;
    }

    fn text(&mut self, line: &Line) {
        let text = line.text.as_str();
        let role = self.role_of(line);
        let vocabulary = self.vocabulary;
        let Some(row) = self.current.as_mut() else {
            self.ctx.unplaced(line);
            return;
        };
        // In a rebuilt grid the column says which cell the text belongs to, whatever
        // came before it (a row split by a page break goes on after its code).
        match role {
            Some(Role::Commitment) => {
                row.title.push(text.to_owned());
                row.last_content = Some(LastContent::Title);
                row.last_line = line.number;
                return;
            }
            Some(Role::Appraisal) if row.conformity.is_some() => {
                match row.annotations.last_mut() {
                    Some((_, lines)) => lines.push(text.to_owned()),
                    None => row
                        .annotations
                        .push((AnnotationKind::Note, vec![text.to_owned()])),
                }
                row.last_line = line.number;
                return;
            }
            _ => {}
        }
        if row.conformity.is_some() {
            if is_unknown_code(vocabulary, text) {
                self.ctx.diagnose(
                    Severity::Warning,
                    "unknown_code",
                    format!(
                        "unknown conformity code {:?} after commitment {}",
                        text.trim(),
                        row.number
                    ),
                    Some(line),
                );
            } else {
                self.ctx.unplaced(line);
            }
            return;
        }
        let in_appraisal = role == Some(Role::Appraisal);
        if row.annotations.is_empty() && !row.title_closed && !in_appraisal {
            row.title.push(text.to_owned());
            row.last_content = Some(LastContent::Title);
        } else if let Some((_, lines)) = row.annotations.last_mut() {
            lines.push(text.to_owned());
            row.last_content = Some(LastContent::Annotation);
        } else {
            // Text in the appraisal column with no marker: a plain finding.
            row.annotations
                .push((AnnotationKind::Note, vec![text.to_owned()]));
            row.last_content = Some(LastContent::Annotation);
            self.ctx.diagnose(
                Severity::Info,
                "unmarked_annotation",
                format!(
                    "text without PF/PS/PP/Note marker in commitment {}, read as a note",
                    row.number
                ),
                Some(line),
            );
        }
        row.last_line = line.number;
    }

    fn close(&mut self) {
        let Some(mut row) = self.current.take() else {
            return;
        };
        if row.conformity.is_none() {
            row.conformity = row.code_before_break.take();
        }
        if row.conformity.is_none() && !row.take_trailing_code(self.vocabulary) {
            let last_text = match row.last_content {
                Some(LastContent::Annotation) => {
                    row.annotations.last().and_then(|(_, l)| l.last()).cloned()
                }
                _ => None,
            };
            if let Some(text) = last_text.filter(|t| is_unknown_code(self.vocabulary, t)) {
                if let Some((_, lines)) = row.annotations.last_mut() {
                    lines.pop();
                }
                self.ctx.diagnose_at(
                    Severity::Warning,
                    "unknown_code",
                    format!(
                        "unknown conformity code {:?} for commitment {}",
                        text.trim(),
                        row.number
                    ),
                    row.provenance(),
                );
            } else {
                self.ctx.diagnose_at(
                    Severity::Warning,
                    "missing_conformity",
                    format!(
                        "commitment {} ({}) has no conformity code",
                        row.number,
                        row.title()
                    ),
                    row.provenance(),
                );
            }
        }
        self.events.push(Event::Row(self.rows.len()));
        self.rows.push(row);
    }

    /// Held cells whose row never got its number.
    fn drop_held(&mut self) {
        for (line, _) in std::mem::take(&mut self.held) {
            self.ctx.unplaced(&line);
        }
    }

    fn finish(&mut self) {
        self.close();
        self.drop_held();
        if let Some((module, line)) = self.pending_tag.take() {
            self.ctx.diagnose_at(
                Severity::Warning,
                "unplaced_text",
                format!("\"Module {module}\" not followed by a commitment"),
                Provenance {
                    page: None,
                    line_start: line,
                    line_end: line,
                },
            );
        }
    }
}

impl GridReader<'_> {
    fn role_of(&self, line: &Line) -> Option<Role> {
        line_role(self.template, line)
    }
}

/// The grid cell a line was read from, when the layout was rebuilt.
fn line_role(template: &dyn Template, line: &Line) -> Option<Role> {
    line.position
        .map(|p| template.role(p.column))
        .filter(|r| *r != Role::Full)
}

/// A short line that looks like a code but is none of the known ones ("NC", "NS", "OK").
fn is_unknown_code(vocabulary: &Vocabulary, text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().count() <= 6
        && vocabulary.whole_code(t).is_none()
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || matches!(c, ' ' | '/' | '.' | '+' | '-' | '?'))
        && t.chars().any(|c| c.is_ascii_uppercase())
}

/// Places each row in its phase. A phase header heads the rows that follow it; in
/// stream order, a header with no row after it in its page segment trails the rows it
/// heads, and starts where the row sequence restarts or where the first row of the
/// phase's own channel stands.
fn assign_phases(
    template: &dyn Template,
    mut rows: Vec<Row>,
    events: &[Event],
    order: LineOrder,
    ctx: &mut Ctx,
) -> Vec<Row> {
    let mut current = Phase::OnSite;
    let mut start_of: Vec<Option<Phase>> = vec![None; rows.len()];
    let mut pending: Vec<(Phase, usize)> = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let Event::Phase {
            phase,
            segment,
            line,
        } = *event
        else {
            continue;
        };
        let leads = order == LineOrder::Visual
            || events[i + 1..]
                .iter()
                .any(|e| matches!(e, Event::Row(r) if rows[*r].segment == segment));
        match leads {
            true => {
                if let Some(Event::Row(r)) =
                    events[i + 1..].iter().find(|e| matches!(e, Event::Row(_)))
                {
                    start_of[*r] = Some(phase);
                }
            }
            false => pending.push((phase, line)),
        }
        // Trailing headers of a segment are placed once the segment is known whole.
        let segment_ends = events[i + 1..]
            .iter()
            .all(|e| !matches!(e, Event::Phase { segment: s, .. } if *s == segment));
        if segment_ends && !pending.is_empty() {
            place_trailing(
                template,
                &rows,
                segment,
                &std::mem::take(&mut pending),
                &mut start_of,
                ctx,
            );
        }
    }
    for (row, start) in rows.iter_mut().zip(start_of) {
        if let Some(phase) = start {
            current = phase;
        }
        row.phase = current;
    }
    rows
}

fn place_trailing(
    template: &dyn Template,
    rows: &[Row],
    segment: usize,
    headers: &[(Phase, usize)],
    start_of: &mut [Option<Phase>],
    ctx: &mut Ctx,
) {
    let in_segment: Vec<usize> = (0..rows.len())
        .filter(|&r| rows[r].segment == segment)
        .collect();
    let mut from = 0;
    for &(phase, line) in headers {
        let restart = (from..in_segment.len()).find(|&k| {
            let r = in_segment[k];
            r > 0 && restarts(&rows[r - 1], &rows[r])
        });
        let own_channel = (from..in_segment.len()).find(|&k| {
            phase_channel(phase)
                .is_some_and(|c| rows[in_segment[k]].referential_channel(template) == Some(c))
        });
        match restart.into_iter().chain(own_channel).min() {
            Some(k) => {
                start_of[in_segment[k]] = Some(phase);
                from = k + 1;
            }
            None => ctx.diagnose_at(
                Severity::Warning,
                "unplaced_phase_header",
                format!("could not tell which rows the header for phase {phase:?} heads"),
                Provenance {
                    page: None,
                    line_start: line,
                    line_end: line,
                },
            ),
        }
    }
}

/// The row sequence starts over: from pilotage/labellisation back to modules, or a
/// module/number not greater than the previous one.
fn restarts(previous: &Row, row: &Row) -> bool {
    match (previous.section, row.section) {
        (Section::Module, Section::Module) => {
            (row.module, row.number) <= (previous.module, previous.number)
        }
        (_, Section::Module) => true,
        _ => false,
    }
}

/// The Module 1 channel whose commitments a remote phase checks.
fn phase_channel(phase: Phase) -> Option<Channel> {
    match phase {
        Phase::RemoteInternet => Some(Channel::SiteInternet),
        Phase::RemoteTelephone => Some(Channel::Telephone),
        Phase::RemoteEmail => Some(Channel::CourriersCourriels),
        Phase::OnSite => None,
    }
}

impl Row {
    /// The channel the template's referential puts this commitment in.
    pub fn referential_channel(&self, template: &dyn Template) -> Option<Channel> {
        if self.section != Section::Module {
            return None;
        }
        template.channel(self.module, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::classify;
    use super::super::template::QualEPref;
    use super::*;
    use crate::source::{Column, Position};

    /// Lines of a rebuilt layout: (page, column, text).
    fn laid_out(cells: &[(u32, Column, &str)]) -> Vec<Line> {
        cells
            .iter()
            .enumerate()
            .map(|(i, &(page, column, text))| Line {
                number: i + 1,
                page: Some(page),
                text: text.to_owned(),
                position: Some(Position {
                    x: 0.0,
                    y: 0.0,
                    column,
                }),
            })
            .collect()
    }

    fn read(lines: &[Line]) -> (Vec<Row>, Ctx) {
        let mut ctx = Ctx::default();
        let lexicon = QualEPref.lexicon();
        let kinds: Vec<LineKind> = lines
            .iter()
            .map(|l| classify(lexicon, &l.text, false))
            .collect();
        let rows = read_grid(&QualEPref, lines, &kinds, LineOrder::Visual, &mut ctx);
        (rows, ctx)
    }

    // The Qual-e-pref grid's three cells, and a line spanning it.
    const COMMITMENT: Column = Column::Cell { index: 0, of: 3 };
    const APPRAISAL: Column = Column::Cell { index: 1, of: 3 };
    const CODE: Column = Column::Cell { index: 2, of: 3 };
    const FULL: Column = Column::Full;

    #[test]
    fn a_row_goes_on_after_its_code_across_a_page_break() {
        let lines = laid_out(&[
            (
                3,
                FULL,
                "MODULE 1 - OBLIGATOIRE : RELATION GENERALE AVEC LES USAGERS",
            ),
            (3, COMMITMENT, "Module 1"),
            (3, COMMITMENT, "9. Un serveur vocal dédié aux titres (hors"),
            (3, APPRAISAL, "PP : Étudier un rappel automatique des"),
            (3, CODE, "C"),
            (4, COMMITMENT, "Engagements de service"),
            (4, APPRAISAL, "Appréciation de l'auditeur"),
            (4, APPRAISAL, "Commentaires"),
            (4, CODE, "Conformité"),
            (4, COMMITMENT, "étrangers)"),
            (4, APPRAISAL, "usagers en cas de saturation."),
            (4, COMMITMENT, "Module 1"),
            (4, COMMITMENT, "10. Nous répondons à vos appels"),
            (4, CODE, "NA"),
        ]);
        let (rows, ctx) = read(&lines);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].title(),
            "Un serveur vocal dédié aux titres (hors étrangers)"
        );
        assert_eq!(
            rows[0].annotations()[0].text,
            "Étudier un rappel automatique des usagers en cas de saturation."
        );
        assert_eq!(rows[0].conformity, Some(Conformity::Conforme));
        assert_eq!(rows[1].number, 10);
        assert_eq!(rows[1].conformity, Some(Conformity::NotApplicable));
        assert!(ctx.diagnostics.is_empty(), "{:?}", ctx.diagnostics);
    }

    #[test]
    fn a_tag_and_cells_before_the_break_wait_for_their_number() {
        let lines = laid_out(&[
            (4, FULL, "RESEAU SOCIAUX"),
            (4, COMMITMENT, "Module 1"),
            (4, APPRAISAL, "PP : Étudier un plan de communication"),
            (4, CODE, "C"),
            (5, COMMITMENT, "19. Nous communiquons de"),
            (5, COMMITMENT, "manière active"),
            (5, APPRAISAL, "dédié aux réseaux sociaux."),
            (5, APPRAISAL, "Note : FB : 8 000 abonnés"),
        ]);
        let (rows, ctx) = read(&lines);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!((row.module, row.number), (Some(1), 19));
        assert_eq!(row.title(), "Nous communiquons de manière active");
        assert_eq!(row.conformity, Some(Conformity::Conforme));
        let notes = row.annotations();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].kind, AnnotationKind::ImprovementTrack);
        assert_eq!(
            notes[0].text,
            "Étudier un plan de communication dédié aux réseaux sociaux."
        );
        assert!(ctx.diagnostics.is_empty(), "{:?}", ctx.diagnostics);
    }

    #[test]
    fn held_cells_of_a_tag_without_number_are_reported() {
        let lines = laid_out(&[
            (4, COMMITMENT, "Module 1"),
            (4, APPRAISAL, "PP : orpheline"),
        ]);
        let (rows, ctx) = read(&lines);
        assert!(rows.is_empty());
        assert!(ctx
            .diagnostics
            .iter()
            .any(|d| d.code == "unplaced_text" && d.message.contains("orpheline")));
    }
}
