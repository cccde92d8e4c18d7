//! The report: typed form of one audit report, serialised as the versioned JSON
//! contract (`schema_version` "1"). Field names are a public contract: add, never rename.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the JSON contract written in every report.
pub const SCHEMA_VERSION: &str = "1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    pub schema_version: String,
    pub source: Source,
    pub metadata: Metadata,
    /// Section 2 "Contexte", lines joined with single spaces.
    pub context: Option<String>,
    pub assessments: Vec<Assessment>,
    pub conclusion: Conclusion,
    pub diagnostics: Vec<Diagnostic>,
    /// How much of the reading a person should check (absent in reports written
    /// before it existed).
    #[serde(default)]
    pub quality: Quality,
}

/// Places where the reading is doubtful, counted from the diagnostics, and a 0–1 score:
/// `assessments / (assessments + doubtful places + rows_without_rules / 20)`, three
/// decimals (1 when nothing is doubtful). A row whose band was inferred without rules
/// weighs a twentieth of a doubtful place: a borderless grid read with nothing else
/// doubtful scores about 0.95, above the default review threshold (0.9), yet below
/// the same report with a ruled grid (so the ruled copy of an audit is kept first);
/// a few real doubtful places send it to review. A migration reviews the reports under a threshold
/// (`extract --review-below`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Quality {
    pub score: f64,
    /// Assessments with no conformity code.
    pub rows_without_code: usize,
    /// Appraisal texts with no PF/PS/PP/Note marker, read as notes.
    pub texts_without_marker: usize,
    /// Text placed in no assessment, context or conclusion box.
    pub unplaced_texts: usize,
    /// Conclusion paragraphs placed by their wording because their box labels stood
    /// apart from them (counted once per report).
    pub uncertain_boxes: usize,
    /// Grid rows (PDF) whose band was inferred from the layout — alignment of the
    /// cells, whitespace — rather than cut by rules (a row cut by a page break counts
    /// once, where its first column starts).
    #[serde(default)]
    pub rows_without_rules: usize,
    /// Assessments read by OCR with a mean word confidence under 0.7.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub low_confidence: usize,
    /// Lines of a layout-mode text dump whose cut into columns is a guess
    /// (`layout_column_guessed` diagnostics).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub columns_guessed: usize,
    /// Grid, module and channel headings taken by their place and form rather than by
    /// the template's words (`*_heading_guessed` diagnostics), and grids whose columns'
    /// roles came from their content (`grid_columns_by_content`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub guessed_headings: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// Path as given on the command line.
    pub path: String,
    /// SHA-256 of the input bytes, lower-case hex.
    pub sha256: String,
    /// "text" or "pdf", sniffed from the bytes.
    pub format: String,
    /// Page count (PDF; text with form feeds), else null.
    pub pages: Option<u32>,
    /// Name of the text encoding the input was decoded from (text input).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Pages read by OCR (scans, garbled text layers), when any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrInfo>,
}

/// What was read by OCR, and with which engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OcrInfo {
    /// 1-based pages whose words come from OCR.
    pub pages: Vec<u32>,
    /// "tesseract".
    pub engine: String,
    /// The engine's version, as it prints it ("5.3.0").
    pub version: String,
    /// Tesseract language(s), e.g. "fra".
    pub language: String,
    /// Mean word confidence (0–1) over the OCR'd pages.
    pub confidence: f64,
}

/// Where a fact came from, for values the cover page does not always state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Read on the cover page (a ticked checkbox or a form field).
    Cover,
    /// Deduced from the rest of the report (context, assessed modules, conclusion).
    Inferred,
}

/// The referential a report is assessed against: each has its own commitments,
/// numbering and report templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ReferentialName {
    /// Qual-e-pref, referential of 19/12/2018 updated 04/02/2019.
    #[serde(rename = "qual-e-pref")]
    QualEPref,
    /// QUALIPREF 2.0 (2015–2018), the ministry's internal-audit template.
    #[serde(rename = "qualipref-2.0")]
    Qualipref20,
    /// QUALIPREF2 (2012–2015): commitments coded E1, E2 …
    #[serde(rename = "qualipref2")]
    Qualipref2,
    /// QUALIPREF, AFNOR REF-180 (2006–2012).
    #[serde(rename = "qualipref-afnor")]
    QualiprefAfnor,
    /// Marianne V2 of 2008 (kept in V3, 2013): 19 engagements.
    #[serde(rename = "marianne-2008")]
    Marianne2008,
    /// Marianne 2016: 12 engagements.
    #[serde(rename = "marianne-2016")]
    Marianne2016,
    /// Marianne 2019 and later.
    #[serde(rename = "marianne-2019")]
    Marianne2019,
    /// A referential the label names in words no rule knows.
    #[serde(rename = "unknown")]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Referential {
    pub name: ReferentialName,
    /// The wording of the report, whitespace collapsed.
    pub label: String,
    /// Date of the referential, ISO 8601.
    pub date: Option<String>,
    /// Date of its last update, ISO 8601.
    pub updated: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Metadata {
    pub referential: Option<Referential>,
    /// Official name of the department ("Tarn-et-Garonne").
    pub department: Option<String>,
    /// Official code of the department ("82", "2A", "971").
    pub department_code: Option<String>,
    pub city: Option<String>,
    /// "prefecture", "sous_prefecture" or "prefecture_de_police".
    pub site_type: Option<String>,
    pub site_type_evidence: Option<Evidence>,
    /// Audit dates, ISO 8601, in order.
    pub audit_dates: Vec<String>,
    pub signature_date: Option<String>,
    pub auditors: Vec<String>,
    /// "initial", "suivi", "renouvellement" or "extension".
    pub audit_type: Option<String>,
    pub audit_type_evidence: Option<Evidence>,
    /// "internal" or "external", when the report says so.
    pub audit_origin: Option<String>,
    pub modules_covered: Vec<u8>,
    pub modules_covered_evidence: Option<Evidence>,
    /// Postal address of the audited site(s), as the report writes it, whitespace
    /// collapsed (a Marianne certification report's "Adresse du ou des sites").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Module,
    Pilotage,
    Labellisation,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    OnSite,
    RemoteInternet,
    RemoteTelephone,
    RemoteEmail,
}

/// Module 1 channels of the Qual-e-pref referential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    AccueilPhysique,
    Telephone,
    SiteInternet,
    CourriersCourriels,
    ReseauxSociaux,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Conformity {
    #[serde(rename = "C")]
    Conforme,
    #[serde(rename = "NA")]
    NotApplicable,
    #[serde(rename = "NC_MAJ")]
    MajorNonConformity,
    #[serde(rename = "NC_MIN")]
    MinorNonConformity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum AnnotationKind {
    /// Point fort.
    #[serde(rename = "PF")]
    StrongPoint,
    /// Point sensible.
    #[serde(rename = "PS")]
    SensitivePoint,
    /// Piste de progrès.
    #[serde(rename = "PP")]
    ImprovementTrack,
    /// Point de vigilance (certification bodies).
    #[serde(rename = "PV")]
    VigilancePoint,
    /// A plain finding ("Note :").
    #[serde(rename = "NOTE")]
    Note,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Annotation {
    pub kind: AnnotationKind,
    pub text: String,
    /// Mean OCR word confidence (0–1) of its lines, when read by OCR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// Where something was read: page (when known) and the line range in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Provenance {
    pub page: Option<u32>,
    pub line_start: usize,
    pub line_end: usize,
}

/// One appraisal of one commitment in one phase of the audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    /// Stable identifier: phase, section, module and number, plus an occurrence
    /// suffix when the same commitment appears twice in one phase.
    pub id: String,
    pub section: Section,
    pub phase: Phase,
    pub channel: Option<Channel>,
    pub module: Option<u8>,
    pub number: u32,
    pub title: String,
    pub conformity: Option<Conformity>,
    pub annotations: Vec<Annotation>,
    pub provenance: Provenance,
    /// The commitment's code as the report writes it ("E19.1", QUALIPREF2); `number`
    /// is then its integer commitment number (19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What the commitment is about across referentials (see [`Theme`]), from its
    /// channel heading, module or title.
    #[serde(default)]
    pub theme: Option<Theme>,
    /// Mean OCR word confidence (0–1) of its lines, when read by OCR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// What a commitment is about, the same ids whatever the referential, so a Marianne
/// engagement of 2010 lines up with a Qual-e-pref commitment of 2022.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Physical reception: orientation, waiting rooms, waiting time, PMR access.
    AccueilPhysique,
    /// Switchboard, voice server, call answering.
    Telephone,
    /// Web site, online procedures.
    Internet,
    /// Letters and e-mails.
    CourrierCourriels,
    ReseauxSociaux,
    /// Complaints, suggestions, satisfaction surveys, users' committee.
    ReclamationsEcoute,
    /// Staff training.
    Formation,
    /// Quality management and interministerial steering.
    Pilotage,
    /// Identity documents, driving licences, vehicle registration.
    Titres,
    /// Residence permits and foreigners' reception.
    Etrangers,
    /// Relations with local authorities.
    Collectivites,
    /// Administrative police.
    Securite,
    /// Emergency communication.
    CommunicationCrise,
    /// Anything else (general provisions "whatever the channel").
    Autre,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Conclusion {
    pub general: Option<String>,
    pub strengths: Option<String>,
    pub sensitive_points: Option<String>,
    pub improvement_tracks: Option<String>,
    pub comments: Option<String>,
    pub good_practices: Option<String>,
    pub satisfaction_results: Option<String>,
    pub graphic_charter: Option<String>,
    pub deviations: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. "unplaced_text", "missing_conformity".
    pub code: String,
    pub message: String,
    pub provenance: Option<Provenance>,
}

impl Report {
    /// True when a diagnostic of warning severity or worse was raised.
    pub fn has_warnings(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity >= Severity::Warning)
    }
}
