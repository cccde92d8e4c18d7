//! Reports whose cover names a referential no grid template serves (QUALIPREF AFNOR;
//! a QUALIPREF 2.0, QUALIPREF2 or Marianne report filled into a grid rather than its
//! template's blocks or table): read as Qual-e-pref reports were read before templates
//! existed, but with no numbering to check, since their commitments are numbered
//! otherwise.

use super::{Detection, Layout, Numbering, QualEPref, Template};
use crate::model::{Assessment, Channel, ReferentialName, Theme};
use crate::recognize::lexicon::Lexicon;
use crate::source::Line;

/// A referential without a template of its own.
#[derive(Debug)]
pub struct Unknown;

impl Template for Unknown {
    fn name(&self) -> &'static str {
        "unknown template"
    }

    fn serves(&self, _: ReferentialName) -> bool {
        false
    }

    /// Never chosen by its looks: only for a referential no template serves.
    fn detect(&self, _: &[Line]) -> Detection {
        Detection::default()
    }

    fn lexicon(&self) -> &'static Lexicon {
        QualEPref.lexicon()
    }

    fn layout(&self) -> Layout {
        QualEPref.layout()
    }

    fn numbering(&self) -> Option<&'static Numbering> {
        None
    }

    fn channel(&self, module: Option<u8>, number: u32) -> Option<Channel> {
        QualEPref.channel(module, number)
    }

    fn police_module(&self) -> Option<u8> {
        QualEPref.police_module()
    }

    fn theme(&self, assessment: &Assessment) -> Theme {
        QualEPref.theme(assessment)
    }
}
