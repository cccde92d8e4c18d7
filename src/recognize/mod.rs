//! Recognition stage: decoded lines → typed report, in passes (like pulldown-cmark):
//! [`template::auto`] picks the report template, whose words every pass reads;
//! [`lexicon`] says what each line is alone; the document is cut into its parts
//! (cover, context, grid, conclusion); [`cover`], [`grid`] and [`conclusion`] read
//! each part into fields. The same passes serve PDF and text input. Nothing here
//! checks consistency across parts: that is the `checks` stage.

mod columns;
pub mod conclusion;
pub mod cover;
pub mod grid;
mod headings;
pub mod infer;
pub mod lexicon;
pub mod template;
pub mod vocabulary;

use lexicon::{classify, ConclusionBox, Lexicon, LineKind, Part};
use template::Template;

use crate::model::{
    Assessment, Conclusion, Diagnostic, Metadata, Phase, Provenance, Section, Severity,
};
use crate::source::{Line, LineOrder, SourceDocument};
use crate::text::{fold, join_lines};

/// What recognition found in one document.
#[derive(Debug)]
pub struct Recognized {
    /// The template the report was read with, settled by the referential its cover
    /// names: what checks hold the report to.
    pub template: &'static dyn Template,
    pub metadata: Metadata,
    pub cover_has_checkboxes: bool,
    pub cover_internal: Option<bool>,
    pub context: Option<String>,
    pub assessments: Vec<Assessment>,
    pub conclusion: Conclusion,
    pub diagnostics: Vec<Diagnostic>,
}

impl Recognized {
    /// At least one commitment or two conclusion boxes. Text that merely names a
    /// department or a referential is no report, and neither is a cover form alone
    /// (a blank template, a letter quoting the form): with no assessment and no
    /// conclusion there is nothing to migrate or analyse.
    pub fn looks_like_a_report(&self) -> bool {
        let c = &self.conclusion;
        let boxes = [
            &c.general,
            &c.strengths,
            &c.sensitive_points,
            &c.improvement_tracks,
            &c.comments,
            &c.good_practices,
            &c.satisfaction_results,
            &c.graphic_charter,
            &c.deviations,
        ]
        .iter()
        .filter(|b| b.is_some())
        .count();
        !self.assessments.is_empty() || boxes >= 2
    }
}

/// Shared state of one recognition run: settings read from the whole document and the
/// diagnostics raised so far.
#[derive(Debug, Default)]
pub struct Ctx {
    /// The report has remote-audit headers, so a lone "COURRIELS" heads a phase.
    pub courriels_is_phase: bool,
    pub diagnostics: Vec<Diagnostic>,
}

impl Ctx {
    pub fn diagnose(
        &mut self,
        severity: Severity,
        code: &str,
        message: String,
        line: Option<&Line>,
    ) {
        let provenance = line.map(|l| Provenance {
            page: l.page,
            line_start: l.number,
            line_end: l.number,
        });
        self.diagnostics.push(Diagnostic {
            severity,
            code: code.into(),
            message,
            provenance,
        });
    }

    pub fn diagnose_at(
        &mut self,
        severity: Severity,
        code: &str,
        message: String,
        provenance: Provenance,
    ) {
        self.diagnostics.push(Diagnostic {
            severity,
            code: code.into(),
            message,
            provenance: Some(provenance),
        });
    }

    /// Text the parser could not place anywhere.
    pub fn unplaced(&mut self, line: &Line) {
        let text = line.text.trim();
        self.diagnose(
            Severity::Warning,
            "unplaced_text",
            format!("text not placed: {text:?}"),
            Some(line),
        );
    }
}

/// The parts of a report, as line ranges.
struct Parts<'d> {
    cover: &'d [Line],
    context: &'d [Line],
    context_kinds: &'d [LineKind],
    grid: &'d [Line],
    grid_kinds: &'d [LineKind],
    conclusion: &'d [Line],
}

pub fn recognize(doc: &SourceDocument) -> Recognized {
    let mut read_with = template::auto(&doc.lines);
    // Templates of their own form (blocks, findings tables) read the whole document;
    // one that finds none of its commitments (its content filled into a Qual-e-pref
    // grid instead) leaves it to the grid passes, as before templates.
    if let Some(read) = read_with.read(doc) {
        return read;
    }
    if !read_with.layout().is_grid() {
        read_with = &template::QualEPref;
    }
    let lexicon = read_with.lexicon();
    let mut ctx = Ctx {
        courriels_is_phase: doc
            .lines
            .iter()
            .any(|l| lexicon::mentions_remote_audit(lexicon, &fold(&l.text))),
        ..Ctx::default()
    };
    if doc.order == LineOrder::Stream && has_side_by_side_columns(read_with, &doc.lines) {
        ctx.diagnose(
            Severity::Warning,
            "side_by_side_columns",
            "the grid's columns stand side by side on each line (a layout-mode text export \
             such as pdftotext -layout): rows cannot be read reliably from it; extract from \
             the PDF instead"
                .into(),
            None,
        );
    }
    // Each line is classified once; the parts and the grid share the result.
    let mut kinds: Vec<LineKind> = doc
        .lines
        .iter()
        .map(|l| classify(lexicon, &l.text, ctx.courriels_is_phase))
        .collect();
    // The columns' roles by their content, where the report orders them otherwise.
    let roles = columns::roles_by_content(read_with, &doc.lines, &kinds);
    if let Some(roles) = &roles {
        let names: Vec<&str> = roles.iter().map(|r| r.name()).collect();
        ctx.diagnose(
            Severity::Info,
            "grid_columns_by_content",
            format!(
                "the grid's columns read as {} by their content (codes, numbered titles), \
                 not in the template's order",
                names.join(" | ")
            ),
            None,
        );
    }
    let reordered = |base: &'static dyn Template| {
        roles
            .clone()
            .map(|roles| columns::Reordered { base, roles })
    };
    let read_view = reordered(read_with);
    let read_view: &dyn Template = match &read_view {
        Some(r) => r,
        None => read_with,
    };
    headings::mark_grid_headings(read_view, &doc.lines, &mut kinds, &mut ctx);
    headings::mark_structural_headings(read_view, &doc.lines, &mut kinds, &mut ctx);
    mark_numbered_parts(&doc.lines, &mut kinds, &mut ctx);
    let parts = split_parts(&doc.lines, &kinds);
    let cover = cover::read_cover(lexicon, parts.cover);
    let template = template::for_referential(
        read_with,
        cover.metadata.referential.as_ref().map(|r| r.name),
    );
    for note in &cover.notes {
        ctx.diagnose(note.severity, note.code, note.message.clone(), None);
    }
    for written in &cover.impossible_dates {
        ctx.diagnose(
            Severity::Warning,
            "impossible_date",
            format!("the cover gives the date {written:?}, which no calendar has: left out"),
            None,
        );
    }
    let context = read_context(lexicon, parts.context, parts.context_kinds);
    let grid_view = reordered(template);
    let grid_view: &dyn Template = match &grid_view {
        Some(r) => r,
        None => template,
    };
    let rows = grid::read_grid(grid_view, parts.grid, parts.grid_kinds, doc.order, &mut ctx);
    let conclusion = conclusion::read_conclusion(lexicon, parts.conclusion, doc.order, &mut ctx);
    let mut recognized = Recognized {
        template,
        metadata: cover.metadata,
        cover_has_checkboxes: cover.has_checkboxes,
        cover_internal: cover.internal,
        context,
        assessments: assessments(template, rows),
        conclusion,
        diagnostics: ctx.diagnostics,
    };
    infer::infer_metadata(&mut recognized);
    recognized
}

/// A layout-mode text export: the grid heading's first and last titles on one line,
/// far apart, and many lines holding two blocks of text separated by a wide gap.
fn has_side_by_side_columns(template: &dyn Template, lines: &[Line]) -> bool {
    let template::Layout::Grid { heading, .. } = template.layout() else {
        return false;
    };
    let (Some(first), Some(last)) = (heading.cells.first(), heading.cells.last()) else {
        return false;
    };
    let (first, last) = (fold(first[0]), fold(last[0]));
    // Cheap test first: the first title's first word, without its capital.
    let word = first.split(' ').next().unwrap_or("").get(1..).unwrap_or("");
    let (word_upper, first_cell, last_cell) = (
        word.to_uppercase(),
        format!("{first} |"),
        format!("| {last}"),
    );
    let gap = "     ";
    let heading_on_one_line = lines.iter().any(|l| {
        let named = l.text.contains(word) || l.text.contains(&word_upper);
        if !(named && l.text.contains(gap)) {
            return false;
        }
        let f = fold(&l.text.replace(gap, " | "));
        f.contains(&first_cell) && f.contains(&last_cell)
    });
    if !heading_on_one_line {
        return false;
    }
    let text_lines = lines.iter().filter(|l| !l.text.trim().is_empty()).count();
    let split = lines.iter().filter(|l| l.text.trim().contains(gap)).count();
    split * 4 >= text_lines
}

/// A numbered part heading by its form alone: a number, a full stop or bracket, then
/// a few words in capitals, alone on the line ("2. CONTEXTE", "4. BILAN DE L'AUDIT").
/// Commitment titles are sentences in lower case, so they never read so. The number.
pub(crate) fn numbered_heading(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    if !(1..=2).contains(&digits) {
        return None;
    }
    let rest = text[digits..].trim_start();
    let rest = rest.strip_prefix(['.', ')'])?.trim();
    let words = rest.split_whitespace().count();
    let letters = rest.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = !rest.chars().any(char::is_lowercase);
    (capitals && letters >= 4 && (1..=12).contains(&words) && !rest.ends_with('.'))
        .then(|| text[..digits].parse().ok())
        .flatten()
}

/// Part titles the template's words did not name, found by structure: numbered
/// headings in capitals ([`numbered_heading`]) read by their number and place. Before
/// the grid, the heading numbered right after the cover's is the context's and the
/// next one the synthesis' (the grid's); after the grid starts, a numbered heading
/// followed closely by conclusion labels is the conclusion's. Only where the
/// template's words found no such title, and said so (`section_by_structure`).
fn mark_numbered_parts(lines: &[Line], kinds: &mut [LineKind], ctx: &mut Ctx) {
    let has = |kinds: &[LineKind], part: Part| kinds.contains(&LineKind::PartTitle(part));
    let grid_start = kinds
        .iter()
        .position(|k| {
            matches!(
                k,
                LineKind::ModuleHeader(_) | LineKind::ModuleTag(_) | LineKind::PilotageHeader
            )
        })
        .unwrap_or(lines.len());
    let readable = |k: &LineKind| matches!(k, LineKind::Text | LineKind::ItemStart { .. });
    let mut mark = |kinds: &mut [LineKind], i: usize, part: Part, what: &str| {
        kinds[i] = LineKind::PartTitle(part);
        ctx.diagnose(
            Severity::Info,
            "section_by_structure",
            format!(
                "section heading {:?} read as the {what} by its number and place, not its words",
                lines[i].text.trim()
            ),
            Some(&lines[i]),
        );
    };
    // Before the grid: the cover's number (its title, else none: 1), then the next.
    let cover_number = (0..grid_start)
        .find(|&i| kinds[i] == LineKind::PartTitle(Part::Cover))
        .and_then(|i| numbered_heading(&lines[i].text))
        .unwrap_or(1);
    let mut context_number = (0..grid_start)
        .find(|&i| kinds[i] == LineKind::PartTitle(Part::Context))
        .and_then(|i| numbered_heading(&lines[i].text));
    if !has(kinds, Part::Context) {
        if let Some(i) = (0..grid_start).find(|&i| {
            readable(&kinds[i]) && numbered_heading(&lines[i].text) == Some(cover_number + 1)
        }) {
            mark(kinds, i, Part::Context, "context");
            context_number = Some(cover_number + 1);
        }
    }
    if let (Some(n), false) = (context_number, has(kinds, Part::Synthesis)) {
        let after_context = kinds
            .iter()
            .position(|k| *k == LineKind::PartTitle(Part::Context))
            .unwrap_or(0);
        if let Some(i) = (after_context..grid_start)
            .find(|&i| readable(&kinds[i]) && numbered_heading(&lines[i].text) == Some(n + 1))
        {
            mark(kinds, i, Part::Synthesis, "synthesis");
        }
    }
    if !has(kinds, Part::Conclusion) {
        let labelled_after = |i: usize| {
            kinds[i + 1..]
                .iter()
                .filter(|k| **k != LineKind::Blank)
                .take(4)
                .any(|k| matches!(k, LineKind::ConclusionLabel(_)))
        };
        if let Some(i) = (grid_start..lines.len()).find(|&i| {
            readable(&kinds[i]) && numbered_heading(&lines[i].text).is_some() && labelled_after(i)
        }) {
            mark(kinds, i, Part::Conclusion, "conclusion");
        }
    }
}

fn split_parts<'d>(lines: &'d [Line], kinds: &'d [LineKind]) -> Parts<'d> {
    let context_title = kinds
        .iter()
        .position(|k| *k == LineKind::PartTitle(Part::Context));
    let grid_start = kinds
        .iter()
        .enumerate()
        .skip(context_title.unwrap_or(0))
        .position(|(_, k)| {
            matches!(
                k,
                LineKind::ModuleHeader(_) | LineKind::ModuleTag(_) | LineKind::PilotageHeader
            )
        })
        .map_or(lines.len(), |p| p + context_title.unwrap_or(0));
    let conclusion_start = (grid_start..lines.len())
        .find(|&i| match &kinds[i] {
            // The grid heading's own "Commentaires" is no conclusion label.
            LineKind::ConclusionLabel(ConclusionBox::Comments) => {
                i == 0 || kinds[i - 1] != LineKind::PageHeader
            }
            LineKind::ConclusionLabel(_) | LineKind::PartTitle(Part::Conclusion) => true,
            _ => false,
        })
        .unwrap_or(lines.len());
    let cover_end = context_title.unwrap_or(grid_start);
    let context_start = context_title.map_or(cover_end, |c| c + 1);
    Parts {
        cover: &lines[..cover_end],
        context: &lines[context_start..grid_start],
        context_kinds: &kinds[context_start..grid_start],
        grid: &lines[grid_start..conclusion_start],
        grid_kinds: &kinds[grid_start..conclusion_start],
        conclusion: &lines[conclusion_start..],
    }
}

fn read_context(lexicon: &Lexicon, lines: &[Line], kinds: &[LineKind]) -> Option<String> {
    let kept = lines.iter().zip(kinds).filter(|(l, kind)| {
        let folded = fold(&l.text);
        // A rebuilt layout puts the grid heading's words on lines of their own.
        let heading_word = lexicon.heading_words.contains(&folded.trim());
        !heading_word
            && !lexicon
                .context_boilerplate
                .iter()
                .any(|b| folded.starts_with(b))
            && !matches!(kind, LineKind::PartTitle(_) | LineKind::PageHeader)
    });
    let kept = kept.map(|(l, _)| l);
    let text = join_lines(kept.map(|l| l.text.as_str()));
    (!text.is_empty()).then_some(text)
}

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::OnSite => "on_site",
        Phase::RemoteInternet => "remote_internet",
        Phase::RemoteTelephone => "remote_telephone",
        Phase::RemoteEmail => "remote_email",
    }
}

/// Turns rows into assessments with stable ids: phase, section, module and number,
/// plus "~2", "~3"… for a commitment repeated within one phase.
fn assessments(template: &dyn Template, rows: Vec<grid::Row>) -> Vec<Assessment> {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    rows.into_iter()
        .map(|row| {
            let place = match (row.section, row.module) {
                (Section::Module, Some(m)) => format!("m{m}"),
                (Section::Module, None) => "m".to_owned(),
                (Section::Pilotage, _) => "pilotage".to_owned(),
                (Section::Labellisation, _) => "labellisation".to_owned(),
            };
            let base = format!("{}.{place}.{}", phase_name(row.phase), row.number);
            let count = seen.entry(base.clone()).or_default();
            *count += 1;
            let id = if *count == 1 {
                base
            } else {
                format!("{base}~{count}")
            };
            Assessment {
                id,
                section: row.section,
                phase: row.phase,
                channel: row
                    .channel_header
                    .or_else(|| row.referential_channel(template)),
                module: row.module,
                number: row.number,
                title: row.title(),
                conformity: row.conformity,
                annotations: row.annotations(),
                provenance: row.provenance(),
                code: None,
                theme: None,
                confidence: None,
            }
        })
        .map(|mut a| {
            a.theme = Some(template.theme(&a));
            a
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::template::QualEPref;
    use super::*;
    use crate::source::text::plain_lines;

    #[test]
    fn a_grid_heading_wrapped_in_its_cell_is_a_heading() {
        let lines = plain_lines(&["Engagements de", "service", "Un service", "rendu"]);
        let lexicon = QualEPref.lexicon();
        let mut kinds: Vec<LineKind> = lines
            .iter()
            .map(|l| classify(lexicon, &l.text, false))
            .collect();
        headings::mark_grid_headings(&QualEPref, &lines, &mut kinds, &mut Ctx::default());
        assert_eq!(
            kinds,
            vec![
                LineKind::PageHeader,
                LineKind::PageHeader,
                LineKind::Text,
                LineKind::Text
            ]
        );
    }
}
