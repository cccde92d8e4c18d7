//! Page images: taken from the PDF when a page is one image (JPEG streams as they are,
//! Flate streams decoded to grey), rasterised with `pdftoppm` otherwise; decoded to
//! grey for the grid and skew; deskewed and turned upright when needed; ruled grid
//! found as long runs of dark pixels.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::error::ExtractError;

/// An 8-bit grey image, row-major, 0 = black.
#[derive(Debug, Clone)]
pub struct Grey {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// The header of a binary PNM image with magic `magic`: its first `count` numbers
/// (width, height, then the maximum value if any; `#` comments skipped) and where the
/// pixel data starts (after the single whitespace that ends the header).
fn pnm_header(bytes: &[u8], magic: &[u8; 2], count: usize) -> Option<(Vec<usize>, usize)> {
    if bytes.get(..2)? != magic {
        return None;
    }
    let mut fields = Vec::with_capacity(count);
    let mut i = 2;
    while fields.len() < count && i < bytes.len() {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) == Some(&b'#') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..i]).ok()?.parse().ok()?);
    }
    (fields.len() == count).then_some((fields, i + 1))
}

/// The most pixels a page image may have (an A0 sheet at 300 dpi has 139 million):
/// a larger one is not decoded from the PDF (the page is rendered instead), not
/// enlarged, and a page that would render larger is not OCR'd, so that a damaged or
/// hostile PDF claiming a huge image or page cannot make OCR allocate without bound.
pub const MAX_PAGE_PIXELS: usize = 200_000_000;

/// Whether a `width` × `height` image is within [`MAX_PAGE_PIXELS`].
pub fn fits(width: usize, height: usize) -> bool {
    width
        .checked_mul(height)
        .is_some_and(|n| n <= MAX_PAGE_PIXELS)
}

/// Under this grey level a pixel is ink.
pub(crate) const DARK: u8 = 128;

impl Grey {
    fn at(&self, x: usize, y: usize) -> u8 {
        self.pixels[y * self.width + x]
    }

    /// Writes the image as binary PGM (which Tesseract's Leptonica reads).
    pub fn write_pgm(&self, path: &Path) -> std::io::Result<()> {
        let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
        write!(f, "P5\n{} {}\n255\n", self.width, self.height)?;
        f.write_all(&self.pixels)?;
        f.flush()
    }

    /// Reads a binary PGM (8-bit), as `pdftoppm -gray` writes it.
    pub fn read_pgm(bytes: &[u8]) -> Option<Grey> {
        let (fields, data) = pnm_header(bytes, b"P5", 3)?;
        let (width, height) = (fields[0], fields[1]);
        if fields[2] != 255 {
            return None;
        }
        let data = bytes.get(data..data + width.checked_mul(height)?)?;
        Some(Grey {
            width,
            height,
            pixels: data.to_vec(),
        })
    }

    /// Reads a binary PBM (`P4`; 1 is black) to grey (0 or 255), as `pdfimages`
    /// writes bi-level images.
    pub fn read_pbm(bytes: &[u8]) -> Option<Grey> {
        let (fields, data) = pnm_header(bytes, b"P4", 2)?;
        let (width, height) = (fields[0], fields[1]);
        if width == 0 || height == 0 {
            return None;
        }
        let row = width.div_ceil(8);
        let data = bytes.get(data..data + row.checked_mul(height)?)?;
        let mut pixels = vec![0u8; width * height];
        for (r, out) in data.chunks_exact(row).zip(pixels.chunks_exact_mut(width)) {
            for (&byte, px) in r.iter().zip(out.chunks_mut(8)) {
                for (k, p) in px.iter_mut().enumerate() {
                    // 1 is black.
                    *p = if byte << k & 0x80 != 0 { 0 } else { 255 };
                }
            }
        }
        Some(Grey {
            width,
            height,
            pixels,
        })
    }

    /// Decodes a JPEG to grey.
    pub fn from_jpeg(bytes: &[u8]) -> Option<Grey> {
        let mut decoder = jpeg_decoder::Decoder::new(bytes);
        decoder.read_info().ok()?;
        let info = decoder.info()?;
        if !fits(usize::from(info.width), usize::from(info.height)) {
            return None;
        }
        let data = decoder.decode().ok()?;
        let info = decoder.info()?;
        let (width, height) = (usize::from(info.width), usize::from(info.height));
        let n = width * height;
        let pixels = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 => data,
            jpeg_decoder::PixelFormat::L16 => data.chunks(2).map(|c| c[0]).collect(),
            jpeg_decoder::PixelFormat::RGB24 => data.chunks(3).map(luma).collect(),
            jpeg_decoder::PixelFormat::CMYK32 => data
                .chunks(4)
                .map(|c| 255 - (u16::from(c[3]).max(u16::from(c[0])) as u8))
                .collect(),
        };
        (pixels.len() == n).then_some(Grey {
            width,
            height,
            pixels,
        })
    }

    /// The image turned half a turn.
    pub fn rotate_180(&self) -> Grey {
        let mut pixels = self.pixels.clone();
        pixels.reverse();
        Grey {
            width: self.width,
            height: self.height,
            pixels,
        }
    }

    /// The image turned by `degrees` (counter-clockwise positive, as the page looks)
    /// around its centre, same size, nearest pixel, white outside. The products of
    /// each column's and each row's offset are computed once and each pixel's source
    /// is their sum — the same f32 operations, in the same order, as computing it
    /// whole, so the same pixels (for small angles a source position is nearly a whole
    /// number everywhere, and any other rounding moves about 1 % of the pixels) — in a
    /// pass without branches, then the pixels are fetched.
    pub fn rotate(&self, degrees: f32) -> Grey {
        let (s, c) = degrees.to_radians().sin_cos();
        let (w, h) = (self.width, self.height);
        let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
        let (wf, hf) = (w as f32, h as f32);
        let cdx: Vec<f32> = (0..w).map(|x| c * (x as f32 - cx)).collect();
        let sdx: Vec<f32> = (0..w).map(|x| s * (x as f32 - cx)).collect();
        let mut pixels = vec![255u8; self.pixels.len()];
        let mut source = vec![usize::MAX; w];
        for (y, out) in pixels.chunks_exact_mut(w.max(1)).enumerate() {
            let dy = y as f32 - cy;
            let (sdy, cdy) = (s * dy, c * dy);
            for ((at, &cx_), &sx_) in source.iter_mut().zip(&cdx).zip(&sdx) {
                // Source of the destination pixel: rotate back.
                let sx = cx_ - sdy + cx;
                let sy = sx_ + cdy + cy;
                let inside = sx >= 0.0 && sy >= 0.0 && sx < wf && sy < hf;
                *at = if inside {
                    sy as usize * w + sx as usize
                } else {
                    usize::MAX
                };
            }
            for (d, &at) in out.iter_mut().zip(&source) {
                if let Some(&p) = self.pixels.get(at) {
                    *d = p;
                }
            }
        }
        Grey {
            width: w,
            height: h,
            pixels,
        }
    }
}

/// Under this resolution a page image is enlarged before recognition: at 150 dpi
/// letters of 10 pt type have an x-height of about 10 pixels, and Tesseract loses most
/// lone codes of the grid (measured on the 150 dpi scan: 2 of 12 codes read).
pub const ENLARGE_BELOW_DPI: u32 = 200;

/// The resolution low-resolution page images are enlarged to. Measured on the 150 dpi
/// scan (codes read of 12, annotation F1, Tesseract time): enlarged to 200 dpi 11 and
/// 1.0; to 225 dpi 12 and 1.0; to 250 dpi 12 and 1.0; to 300 dpi 12 and 0.889, for
/// nearly twice the time of 225 dpi over the native image (Tesseract's time grows with
/// the pixels: 300 dpi has 4 times the 150 dpi ones, 225 dpi 2.25 times).
pub const RECOGNITION_DPI: u32 = 225;

/// A page image at `dpi` as recognition reads it: under [`ENLARGE_BELOW_DPI`]
/// enlarged to [`RECOGNITION_DPI`] by [`Grey::resize`] (the JPEG bytes, which
/// Tesseract would otherwise read as they are, are then dropped). Returns the image,
/// its JPEG bytes and its resolution.
pub fn for_recognition(
    grey: Grey,
    jpeg: Option<Vec<u8>>,
    dpi: u32,
) -> (Grey, Option<Vec<u8>>, u32) {
    if dpi == 0 || dpi >= ENLARGE_BELOW_DPI {
        return (grey, jpeg, dpi);
    }
    let scale = RECOGNITION_DPI as f32 / dpi as f32;
    let width = (grey.width as f32 * scale).round() as usize;
    let height = (grey.height as f32 * scale).round() as usize;
    if !fits(width, height) {
        return (grey, jpeg, dpi);
    }
    (grey.resize(width, height), None, RECOGNITION_DPI)
}

impl Grey {
    /// The image resampled to `width` × `height` with a Catmull-Rom cubic (sharp
    /// edges, no blur of thin strokes, little ringing), in two separable passes.
    pub fn resize(&self, width: usize, height: usize) -> Grey {
        if width == 0 || height == 0 || self.width == 0 || self.height == 0 {
            return Grey {
                width,
                height,
                pixels: vec![255; width * height],
            };
        }
        let xs = taps(self.width, width);
        let ys = taps(self.height, height);
        // Rows first, in fixed point (weights ×256 summing to 256), 16-bit results.
        let mut rows = vec![0i16; self.height * width];
        for y in 0..self.height {
            let src = &self.pixels[y * self.width..(y + 1) * self.width];
            let dst = &mut rows[y * width..(y + 1) * width];
            for (d, t) in dst.iter_mut().zip(&xs) {
                let mut acc = 0i32;
                for k in 0..4 {
                    acc += i32::from(src[t.index[k]]) * t.weight[k];
                }
                *d = ((acc + 128) >> 8) as i16;
            }
        }
        let mut pixels = vec![0u8; width * height];
        for (y, t) in ys.iter().enumerate() {
            let r: [&[i16]; 4] = std::array::from_fn(|k| &rows[t.index[k] * width..][..width]);
            for (x, d) in pixels[y * width..(y + 1) * width].iter_mut().enumerate() {
                let acc = i32::from(r[0][x]) * t.weight[0]
                    + i32::from(r[1][x]) * t.weight[1]
                    + i32::from(r[2][x]) * t.weight[2]
                    + i32::from(r[3][x]) * t.weight[3];
                *d = ((acc + 128) >> 8).clamp(0, 255) as u8;
            }
        }
        Grey {
            width,
            height,
            pixels,
        }
    }
}

/// The four source samples of one output sample and their weights (×256).
struct Tap {
    index: [usize; 4],
    weight: [i32; 4],
}

/// Catmull-Rom taps of each of `to` samples over `from` samples (centres aligned).
fn taps(from: usize, to: usize) -> Vec<Tap> {
    let scale = from as f32 / to as f32;
    let cubic = |t: f32| {
        let t = t.abs();
        if t < 1.0 {
            1.5 * t * t * t - 2.5 * t * t + 1.0
        } else if t < 2.0 {
            -0.5 * t * t * t + 2.5 * t * t - 4.0 * t + 2.0
        } else {
            0.0
        }
    };
    (0..to)
        .map(|i| {
            let centre = (i as f32 + 0.5) * scale - 0.5;
            let base = centre.floor();
            let frac = centre - base;
            let mut index = [0usize; 4];
            let mut w = [0f32; 4];
            for k in 0..4 {
                let at = base as isize - 1 + k as isize;
                index[k] = at.clamp(0, from as isize - 1) as usize;
                w[k] = cubic(frac - (k as f32 - 1.0));
            }
            let sum: f32 = w.iter().sum();
            let mut weight = w.map(|v| (v / sum * 256.0).round() as i32);
            // Exactly 256 in all, so flat grey stays flat.
            weight[1] += 256 - weight.iter().sum::<i32>();
            Tap { index, weight }
        })
        .collect()
}

fn luma(c: &[u8]) -> u8 {
    ((299 * u32::from(c[0]) + 587 * u32::from(c[1]) + 114 * u32::from(c[2])) / 1000) as u8
}

/// The one image a page is made of, as a file Tesseract reads, plus its pixels.
pub struct PageImage {
    pub grey: Grey,
    /// The JPEG bytes as the PDF stores them, when the image is a DCT stream (handed
    /// to Tesseract as they are when the page needs no turning).
    pub jpeg: Option<Vec<u8>>,
}

/// The page's single image XObject, when the page is one image: exactly one image in
/// its resources and no other XObject. Only JPEG (DCTDecode) and 8- or 1-bit Flate
/// streams in grey or RGB and CCITT fax streams (decoded here) are taken; anything
/// else is `None` (the OCR then has `pdfimages` write out a JBIG2 stream, or a CCITT
/// one that does not decode whole, and `pdftoppm` render JPX, indexed colours…).
pub fn single_image(doc: &Document, page_id: ObjectId) -> Option<PageImage> {
    let stream = sole_image(doc, page_id)?;
    let filters = filters(doc, stream)?;
    let int = |key: &[u8]| int_of(doc, stream, key);
    let (width, height) = claimed_size(doc, stream)?;
    if !fits(width, height) {
        return None;
    }
    if filters == [b"DCTDecode".to_vec()] {
        let grey = Grey::from_jpeg(&stream.content)?;
        return (grey.width == width && grey.height == height).then(|| PageImage {
            grey,
            jpeg: Some(stream.content.clone()),
        });
    }
    let inverted = match stream.dict.get(b"Decode").ok().and_then(|o| deref(doc, o)) {
        Some(Object::Array(a)) => a.first().and_then(|v| v.as_float().ok()) == Some(1.0),
        _ => false,
    };
    if filters == [b"CCITTFaxDecode".to_vec()] {
        let parms = match stream
            .dict
            .get(b"DecodeParms")
            .ok()
            .and_then(|o| deref(doc, o))
        {
            Some(Object::Dictionary(d)) => Some(d),
            Some(Object::Array(a)) => a.first().and_then(|o| deref(doc, o)?.as_dict().ok()),
            _ => None,
        };
        let grey = ccitt(&stream.content, parms, width, height, inverted)?;
        return Some(PageImage { grey, jpeg: None });
    }
    if !filters.iter().all(|f| f == b"FlateDecode") {
        return None;
    }
    let bits = int(b"BitsPerComponent").unwrap_or(1);
    let mask = matches!(stream.dict.get(b"ImageMask"), Ok(Object::Boolean(true)));
    let colour = stream
        .dict
        .get(b"ColorSpace")
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_name().ok().map(<[u8]>::to_vec));
    let comps = match colour.as_deref() {
        _ if mask => 1,
        Some(b"DeviceGray") | Some(b"CalGray") => 1,
        Some(b"DeviceRGB") | Some(b"CalRGB") => 3,
        _ => return None,
    };
    let data = if filters.is_empty() {
        stream.content.clone()
    } else {
        stream.decompressed_content().ok()?
    };
    let mut pixels = Vec::with_capacity(width * height);
    match (bits, comps) {
        (8, _) => {
            let row = width * comps;
            if data.len() < row * height {
                return None;
            }
            for y in 0..height {
                let r = &data[y * row..(y + 1) * row];
                if comps == 1 {
                    pixels.extend_from_slice(r);
                } else {
                    pixels.extend(r.chunks(3).map(luma));
                }
            }
        }
        (1, 1) => {
            let row = width.div_ceil(8);
            if data.len() < row * height {
                return None;
            }
            for y in 0..height {
                for x in 0..width {
                    let bit = data[y * row + x / 8] >> (7 - x % 8) & 1;
                    // 0 is black (Decode [0 1]); image masks paint where it is 0.
                    let ink = bit == 0;
                    pixels.push(if ink { 0 } else { 255 });
                }
            }
        }
        _ => return None,
    }
    if inverted {
        pixels.iter_mut().for_each(|p| *p = 255 - *p);
    }
    Some(PageImage {
        grey: Grey {
            width,
            height,
            pixels,
        },
        jpeg: None,
    })
}

/// A CCITT fax stream (`CCITTFaxDecode`, its `DecodeParms`) decoded to grey: 0 where
/// the image paints black, 255 elsewhere. `None` when it does not decode to the whole
/// `width` × `height` image (the page then goes to `pdfimages`).
fn ccitt(
    data: &[u8],
    parms: Option<&Dictionary>,
    width: usize,
    height: usize,
    inverted: bool,
) -> Option<Grey> {
    use hayro_ccitt::{DecodeSettings, DecoderContext, EncodingMode};
    let int = |key: &[u8], default: i64| {
        parms
            .and_then(|p| p.get(key).ok())
            .and_then(|o| o.as_i64().ok())
            .unwrap_or(default)
    };
    let flag = |key: &[u8], default: bool| {
        parms
            .and_then(|p| p.get(key).ok())
            .and_then(|o| o.as_bool().ok())
            .unwrap_or(default)
    };
    let k = int(b"K", 0);
    if int(b"Columns", 1728) != width as i64 || width == 0 || height == 0 {
        return None;
    }
    let settings = DecodeSettings {
        columns: width as u32,
        rows: height as u32,
        end_of_block: flag(b"EndOfBlock", true),
        end_of_line: flag(b"EndOfLine", false),
        rows_are_byte_aligned: flag(b"EncodedByteAlign", false),
        encoding: match k {
            k if k < 0 => EncodingMode::Group4,
            0 => EncodingMode::Group3_1D,
            _ => EncodingMode::Group3_2D,
        },
        strict: false,
    };
    /// Rows as grey pixels; fax black is sample 0 unless `BlackIs1`, and sample 0
    /// paints black (Decode [0 1]; an image mask paints where it is 0).
    struct Rows {
        pixels: Vec<u8>,
        width: usize,
        black: u8,
    }
    impl hayro_ccitt::Decoder for Rows {
        fn push_row(&mut self, changes: &[u32]) {
            let start = self.pixels.len();
            self.pixels.resize(start + self.width, 255 - self.black);
            let row = &mut self.pixels[start..];
            for run in changes.chunks(2) {
                let from = (run[0] as usize).min(self.width);
                let to = run
                    .get(1)
                    .map_or(self.width, |&x| (x as usize).min(self.width));
                row[from..to.max(from)].fill(self.black);
            }
        }
    }
    let black_is_1 = flag(b"BlackIs1", false);
    let mut rows = Rows {
        pixels: Vec::with_capacity(width * height),
        width,
        black: if black_is_1 == inverted { 0 } else { 255 },
    };
    let mut ctx = DecoderContext::new(settings);
    // A stream that fails part-way still counts when every row came out.
    let _ = hayro_ccitt::decode(data, &mut rows, &mut ctx);
    if rows.pixels.len() < width * height {
        return None;
    }
    rows.pixels.truncate(width * height);
    Some(Grey {
        width,
        height,
        pixels: rows.pixels,
    })
}

/// The page's one XObject, when it is an image (the page may be one image).
pub fn sole_image(doc: &Document, page_id: ObjectId) -> Option<&lopdf::Stream> {
    let page = doc.get_dictionary(page_id).ok()?;
    let resources = inherited(doc, page, b"Resources")?;
    let resources = deref(doc, resources)?.as_dict().ok()?;
    let xobjects = deref(doc, resources.get(b"XObject").ok()?)?
        .as_dict()
        .ok()?;
    if xobjects.len() != 1 {
        return None;
    }
    let (_, entry) = xobjects.iter().next()?;
    let stream = deref(doc, entry)?.as_stream().ok()?;
    (stream.dict.get(b"Subtype").and_then(Object::as_name).ok()? == b"Image").then_some(stream)
}

/// An image stream's filter names, in order (none: `[]`); `None` when malformed.
pub fn filters(doc: &Document, stream: &lopdf::Stream) -> Option<Vec<Vec<u8>>> {
    match stream.dict.get(b"Filter").ok().and_then(|f| deref(doc, f)) {
        None => Some(Vec::new()),
        Some(Object::Name(n)) => Some(vec![n.clone()]),
        Some(Object::Array(a)) => Some(
            a.iter()
                .filter_map(|o| deref(doc, o)?.as_name().ok().map(<[u8]>::to_vec))
                .collect(),
        ),
        Some(_) => None,
    }
}

fn int_of(doc: &Document, stream: &lopdf::Stream, key: &[u8]) -> Option<i64> {
    stream
        .dict
        .get(key)
        .ok()
        .and_then(|o| deref(doc, o))
        .and_then(|o| o.as_i64().ok())
}

/// An image stream's `Width` × `Height`, as its dictionary claims them.
pub fn claimed_size(doc: &Document, stream: &lopdf::Stream) -> Option<(usize, usize)> {
    Some((
        usize::try_from(int_of(doc, stream, b"Width")?).ok()?,
        usize::try_from(int_of(doc, stream, b"Height")?).ok()?,
    ))
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

/// A page attribute, looked up the page tree (Resources, MediaBox are inheritable).
pub fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut dict = page;
    for _ in 0..32 {
        if let Ok(v) = dict.get(key) {
            return Some(v);
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// Rasterises one page (1-based) of the PDF file `pdf` to grey at `dpi` with
/// `pdftoppm`, killed past `timeout`.
pub fn rasterise(
    pdf: &Path,
    page: u32,
    dpi: u32,
    out_base: &Path,
    timeout: Duration,
) -> Result<Grey, ExtractError> {
    let mut command = crate::source::program::command("pdftoppm");
    command
        .args(["-gray", "-singlefile", "-r", &dpi.to_string()])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg(out_base);
    let status = crate::source::program::run_poppler(command, page, "rasterise", timeout)?;
    let path = out_base.with_extension("pgm");
    let bytes = std::fs::read(&path)
        .ok()
        .filter(|_| status.success())
        .ok_or_else(|| {
            ExtractError::OcrFailed(format!("pdftoppm could not rasterise page {page}"))
        })?;
    let _ = std::fs::remove_file(&path);
    Grey::read_pgm(&bytes)
        .ok_or_else(|| ExtractError::OcrFailed(format!("pdftoppm wrote no image of page {page}")))
}

/// The skew of the text and rules, in degrees (counter-clockwise positive, as the
/// page looks), within ±1.5°: the angle whose sheared rows of ink are the most
/// uneven (projection profile), found on a reduced copy.
pub fn estimate_skew(img: &Grey) -> f32 {
    let step = (img.width / 800).max(1);
    let (w, h) = (img.width / step, img.height / step);
    let mut ink: Vec<(f32, f32)> = Vec::new();
    for y in 0..h {
        for x in 0..w {
            if img.at(x * step, y * step) < DARK {
                ink.push((x as f32, y as f32));
            }
        }
    }
    if ink.len() < 100 {
        return 0.0;
    }
    let score = |deg: f32| -> f64 {
        let t = deg.to_radians().tan();
        let mut rows = vec![0u32; h + w + 2];
        let off = (w as f32 * t.abs()) as usize + 1;
        for &(x, y) in &ink {
            // The row a point of a line tilted by `deg` would be on at x = 0.
            let r = y + x * t + off as f32;
            if r >= 0.0 && (r as usize) < rows.len() {
                rows[r as usize] += 1;
            }
        }
        rows.iter().map(|&c| f64::from(c) * f64::from(c)).sum()
    };
    let mut best = (0.0f32, score(0.0));
    let mut deg = -1.5f32;
    while deg <= 1.5 + 1e-3 {
        let s = score(deg);
        if s > best.1 * 1.000_001 {
            best = (deg, s);
        }
        deg += 0.1;
    }
    let coarse = best.0;
    let mut deg = coarse - 0.1;
    while deg <= coarse + 0.1 + 1e-3 {
        let s = score(deg);
        if s > best.1 * 1.000_001 {
            best = (deg, s);
        }
        deg += 0.02;
    }
    // Image rows grow downwards: a line rising to the right has y falling with x,
    // which the shear y + x·tan(a) levels for a > 0 in image terms = counter-clockwise.
    best.0
}

/// A rule found in the image, in pixels: a box `x0 <= x1`, `y0 <= y1` (origin
/// top-left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PixelRule {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

/// Pixels of `mm` millimetres at `dpi`.
pub fn mm_to_px(mm: f32, dpi: u32) -> f32 {
    mm * dpi as f32 / 25.4
}

/// The grid's rules in an image of `dpi`, every length in physical units: horizontal
/// rules at least 20 pt (7 mm) long, vertical ones 8 pt (2.8 mm), gaps of up to
/// 0.17 mm bridged, ink within 0.25 mm across a run taken as on it (at 300 dpi: 83 and
/// 33 pixels, 2 and 3 pixels, what [`find_rules`] was tuned with).
pub fn find_rules_at(img: &Grey, dpi: u32) -> Vec<PixelRule> {
    let pt = dpi as f32 / 72.0;
    let min_h = (20.0 * pt).round().max(8.0) as usize;
    let min_v = (8.0 * pt).round().max(6.0) as usize;
    let gap = mm_to_px(0.17, dpi).round().max(1.0) as usize;
    let band = mm_to_px(0.25, dpi).round().max(1.0) as usize;
    find_rules_with(img, min_h, min_v, gap, band)
}

/// Horizontal and vertical rules: runs of ink at least `min_h` (horizontal) or
/// `min_v` (vertical) pixels long, bridging gaps of up to two pixels (noise, JPEG),
/// runs on adjacent rows (columns) merged into one rule when they overlap. Pixel
/// thresholds made for 300 dpi: [`find_rules_at`] scales them to the image's.
pub fn find_rules(img: &Grey, min_h: usize, min_v: usize) -> Vec<PixelRule> {
    find_rules_with(img, min_h, min_v, 2, 3)
}

/// [`find_rules`] bridging gaps of up to `gap` light pixels and taking ink within a
/// `band` of pixels across a run as on it.
///
/// One pass over an ink map for each direction: rows are the OR of the `band` rows
/// from theirs down, scanned for runs; columns are followed row by row (each column
/// keeping its open run), on rows that are the OR of the `band` pixels from each one
/// rightwards — the same runs as scanning each column, without striding down the
/// image (a few tens of milliseconds for an A4 page at 300 dpi).
fn find_rules_with(
    img: &Grey,
    min_h: usize,
    min_v: usize,
    gap: usize,
    band: usize,
) -> Vec<PixelRule> {
    let mut out = Vec::new();
    let (w, h) = (img.width, img.height);
    if w == 0 || h == 0 {
        return out;
    }
    let band = band.max(1);
    let ink: Vec<u8> = img.pixels.iter().map(|&p| u8::from(p < DARK)).collect();
    // Horizontal runs, row by row: ink within `band` rows across the run (a rule left
    // a pixel off level by a residual skew, or broken by noise, still runs on).
    let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // (y, x0, x1)
    let mut row = vec![0u8; w];
    for y in 0..h {
        let below = (y + band - 1).min(h - 1);
        row.copy_from_slice(&ink[y * w..(y + 1) * w]);
        for yy in y + 1..=below {
            for (a, &b) in row.iter_mut().zip(&ink[yy * w..(yy + 1) * w]) {
                *a |= b;
            }
        }
        collect_runs(&row, min_h, gap, |a, b| runs.push((y, a, b)));
    }
    for (a0, a1, b0, b1) in merge_runs(&runs) {
        out.push(PixelRule {
            x0: b0,
            y0: a0,
            x1: b1,
            y1: a1,
        });
    }
    // Vertical runs: every column's open run (first and last inked row) followed
    // down the rows.
    const NONE: usize = usize::MAX;
    let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // (x, y0, y1)
    let mut start = vec![NONE; w];
    let mut last = vec![0usize; w];
    for y in 0..h {
        let src = &ink[y * w..(y + 1) * w];
        row.copy_from_slice(src);
        for k in 1..band.min(w) {
            for (a, &b) in row[..w - k].iter_mut().zip(&src[k..]) {
                *a |= b;
            }
        }
        for x in 0..w {
            if row[x] != 0 {
                if start[x] == NONE {
                    start[x] = y;
                }
                last[x] = y;
            } else if start[x] != NONE && y - last[x] > gap {
                if last[x] + 1 - start[x] >= min_v {
                    runs.push((x, start[x], last[x]));
                }
                start[x] = NONE;
            }
        }
    }
    for x in 0..w {
        if start[x] != NONE && last[x] + 1 - start[x] >= min_v {
            runs.push((x, start[x], last[x]));
        }
    }
    runs.sort_unstable();
    for (a0, a1, b0, b1) in merge_runs(&runs) {
        out.push(PixelRule {
            x0: a0,
            y0: b0,
            x1: a1,
            y1: b1,
        });
    }
    out
}

/// Runs of ink (`line[i] != 0`; gaps of ≤ `gap` light pixels bridged) at least `min`
/// long.
fn collect_runs(line: &[u8], min: usize, gap: usize, mut emit: impl FnMut(usize, usize)) {
    let mut start: Option<usize> = None;
    let mut last_ink = 0usize;
    for (i, &p) in line.iter().enumerate() {
        if p != 0 {
            if start.is_none() {
                start = Some(i);
            }
            last_ink = i;
        } else if let Some(s) = start {
            if i - last_ink > gap {
                if last_ink + 1 - s >= min {
                    emit(s, last_ink);
                }
                start = None;
            }
        }
    }
    if let Some(s) = start {
        if last_ink + 1 - s >= min {
            emit(s, last_ink);
        }
    }
}

/// Merges runs `(line, from, to)` of adjacent lines that overlap by half into
/// `(first line, last line, from, to)`.
fn merge_runs(runs: &[(usize, usize, usize)]) -> Vec<(usize, usize, usize, usize)> {
    let mut open: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut done = Vec::new();
    for &(l, a, b) in runs {
        // Close what stopped before the previous line.
        let mut i = 0;
        while i < open.len() {
            if open[i].1 + 1 < l {
                done.push(open.swap_remove(i));
            } else {
                i += 1;
            }
        }
        let len = b - a + 1;
        match open.iter_mut().find(|o| {
            o.1 + 1 == l && {
                let overlap = b.min(o.3).saturating_sub(a.max(o.2)) + 1;
                2 * overlap >= len.min(o.3 - o.2 + 1)
            }
        }) {
            Some(o) => {
                o.1 = l;
                o.2 = o.2.min(a);
                o.3 = o.3.max(b);
            }
            None => open.push((l, l, a, b)),
        }
    }
    done.extend(open);
    done.sort_unstable();
    done
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A white page of `w` × `h` pixels, for tests to draw on.
    pub(crate) fn blank(w: usize, h: usize) -> Grey {
        Grey {
            width: w,
            height: h,
            pixels: vec![255; w * h],
        }
    }

    #[test]
    fn ccitt_rows_decode_with_the_pdf_colour_rules() {
        // Group 3, one-dimensional, 8 columns: a row of 4 white then 4 black pixels
        // (white run 4 "1011", black run 4 "011"), a row of 8 white ("10011"),
        // padded with zeros: 1011 011 10011 0000.
        let data = [0b1011_0111, 0b0011_0000];
        let parms = |black_is_1: bool| {
            let mut d = Dictionary::new();
            d.set("K", 0);
            d.set("Columns", 8);
            d.set("EndOfBlock", false);
            d.set("BlackIs1", black_is_1);
            d
        };
        let ink = [
            255, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255,
        ];
        let negative: Vec<u8> = ink.iter().map(|p| 255 - p).collect();
        // Fax black paints black, unless exactly one of BlackIs1 and Decode [1 0] flips it.
        for (black_is_1, inverted, want) in [
            (false, false, &ink[..]),
            (true, false, &negative[..]),
            (false, true, &negative[..]),
            (true, true, &ink[..]),
        ] {
            let grey = ccitt(&data, Some(&parms(black_is_1)), 8, 2, inverted).expect("decodes");
            assert_eq!(
                grey.pixels, want,
                "BlackIs1 {black_is_1}, inverted {inverted}"
            );
        }
        // Columns that are not the image's width, or rows missing: not taken.
        assert!(ccitt(&data, Some(&parms(false)), 16, 2, false).is_none());
        assert!(ccitt(&data, Some(&parms(false)), 8, 40, false).is_none());
    }

    #[test]
    fn rules_are_long_runs_and_thick_lines_are_one_rule() {
        let mut img = blank(200, 100);
        for y in 10..13 {
            for x in 20..180 {
                img.pixels[y * 200 + x] = 0;
            }
        }
        // A one-pixel gap (noise) does not break the rule.
        img.pixels[11 * 200 + 100] = 255;
        for y in 10..90 {
            img.pixels[y * 200 + 50] = 10;
        }
        // A short stroke (a letter) is no rule.
        for y in 40..50 {
            img.pixels[y * 200 + 120] = 0;
        }
        let rules = find_rules(&img, 40, 30);
        assert!(rules.iter().any(|r| r.x0 == 20
            && r.x1 == 179
            && r.y0 >= 8
            && r.y0 <= 10
            && r.y1 == 12));
        assert!(rules
            .iter()
            .any(|r| r.x0 >= 48 && r.x1 == 50 && r.y0 == 10 && r.y1 == 89));
        assert_eq!(rules.len(), 2, "{rules:?}");
    }

    #[test]
    fn skew_of_tilted_lines_is_found() {
        let mut img = blank(800, 600);
        let t = 0.7f32.to_radians().tan();
        for k in 0..20 {
            let y0 = 50.0 + 25.0 * k as f32;
            for x in 50..750 {
                // Rising to the right on the page: y falls as x grows.
                let y = (y0 - (x as f32) * t) as isize + 20;
                if y >= 0 && (y as usize) < 600 {
                    img.pixels[y as usize * 800 + x] = 0;
                }
            }
        }
        let skew = estimate_skew(&img);
        assert!((skew - 0.7).abs() < 0.05, "{skew}");
        let straight = img.rotate(-skew);
        assert!(estimate_skew(&straight).abs() < 0.05);
    }

    #[test]
    fn enlarging_keeps_flat_grey_and_edges() {
        let mut img = blank(40, 20);
        for y in 0..20 {
            img.pixels[y * 40..y * 40 + 20].fill(0);
        }
        let big = img.resize(80, 40);
        assert_eq!((big.width, big.height), (80, 40));
        assert!(big.pixels[10 * 80..10 * 80 + 38].iter().all(|&p| p == 0));
        assert!(big.pixels[10 * 80 + 42..11 * 80].iter().all(|&p| p == 255));
        let (g, jpeg, dpi) = for_recognition(img.clone(), Some(vec![1]), 150);
        assert_eq!((g.width, jpeg, dpi), (60, None, 225));
        let (g, jpeg, dpi) = for_recognition(img, Some(vec![1]), 200);
        assert_eq!((g.width, jpeg, dpi), (40, Some(vec![1]), 200));
    }

    #[test]
    fn rule_thresholds_follow_the_resolution() {
        // A 10 mm rule and a 2 mm stroke, at 150 and 300 dpi.
        for dpi in [150u32, 300] {
            let px = |mm: f32| mm_to_px(mm, dpi).round() as usize;
            let mut img = blank(px(30.0), px(20.0));
            let w = img.width;
            for x in px(5.0)..px(15.0) {
                img.pixels[px(5.0) * w + x] = 0;
            }
            for y in px(10.0)..px(12.0) {
                img.pixels[y * w + px(20.0)] = 0;
            }
            let rules = find_rules_at(&img, dpi);
            assert_eq!(rules.len(), 1, "{dpi} dpi: {rules:?}");
        }
    }

    #[test]
    fn pgm_round_trip() {
        let mut img = blank(3, 2);
        img.pixels[4] = 7;
        let dir = std::env::temp_dir().join(format!("ae-pgm-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.pgm");
        img.write_pgm(&p).unwrap();
        let back = Grey::read_pgm(&std::fs::read(&p).unwrap()).unwrap();
        assert_eq!(back.pixels, img.pixels);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The rule finder as it was (per-pixel band minimum, columns scanned one by
    /// one): the fast one must find exactly the same rules.
    fn find_rules_reference(
        img: &Grey,
        min_h: usize,
        min_v: usize,
        gap: usize,
        band: usize,
    ) -> Vec<PixelRule> {
        let mut out = Vec::new();
        if img.width == 0 || img.height == 0 {
            return out;
        }
        let band = band.max(1);
        // Horizontal runs, row by row.
        // Ink within `band` pixels across the run: a rule left a pixel off level by a
        // residual skew, or broken by noise, still runs on.
        let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // (y, x0, x1)
        let w = img.width;
        for y in 0..img.height {
            let below = (y + band - 1).min(img.height - 1);
            let row = (0..w).map(|x| {
                (y..=below)
                    .map(|yy| img.pixels[yy * w + x])
                    .min()
                    .unwrap_or(255)
            });
            collect_runs_reference(row, min_h, gap, |a, b| runs.push((y, a, b)));
        }
        for (a0, a1, b0, b1) in merge_runs(&runs) {
            out.push(PixelRule {
                x0: b0,
                y0: a0,
                x1: b1,
                y1: a1,
            });
        }
        // Vertical runs, column by column.
        let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // (x, y0, y1)
        for x in 0..img.width {
            let right = (x + band - 1).min(w - 1);
            let col = (0..img.height).map(|y| {
                img.pixels[y * w + x..=y * w + right]
                    .iter()
                    .copied()
                    .min()
                    .unwrap_or(255)
            });
            collect_runs_reference(col, min_v, gap, |a, b| runs.push((x, a, b)));
        }
        for (a0, a1, b0, b1) in merge_runs(&runs) {
            out.push(PixelRule {
                x0: a0,
                y0: b0,
                x1: a1,
                y1: b1,
            });
        }
        out
    }

    /// [`collect_runs`] over a line of grey pixels (ink: darker than `DARK`).
    fn collect_runs_reference(
        line: impl Iterator<Item = u8>,
        min: usize,
        gap: usize,
        emit: impl FnMut(usize, usize),
    ) {
        let ink: Vec<u8> = line.map(|p| u8::from(p < DARK)).collect();
        collect_runs(&ink, min, gap, emit);
    }

    #[test]
    fn fast_rule_finder_finds_what_the_plain_scan_finds() {
        // A grid, a thick rule, a broken one, a tilted one, text-like blobs and
        // noise, at sizes that leave partial bands at the edges.
        let (w, h) = (613, 457);
        let mut img = blank(w, h);
        let mut seed = 12345u32;
        let mut rand = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for i in 0..w * h {
            if rand() % 50 == 0 {
                img.pixels[i] = (rand() % 128) as u8;
            }
        }
        for y in [10usize, 100, 101, 250, 456] {
            for x in 5..600 {
                if x % 97 != 0 {
                    img.pixels[y * w + x] = 0;
                }
            }
        }
        for x in [0usize, 40, 300, 301, 302, 612] {
            for y in 3..450 {
                if y % 61 != 0 {
                    img.pixels[y * w + x] = 20;
                }
            }
        }
        for x in 50..550 {
            let y = 300 + x / 120;
            img.pixels[y * w + x] = 0;
        }
        for k in 0..40 {
            let (x0, y0) = (60 + (k * 13) % 500, 120 + (k * 29) % 300);
            for y in y0..y0 + 9 {
                for x in x0..x0 + 6 {
                    img.pixels[y * w + x] = 0;
                }
            }
        }
        for (min_h, min_v, gap, band) in [(83, 33, 2, 3), (40, 30, 1, 1), (20, 12, 3, 4)] {
            let fast = find_rules_with(&img, min_h, min_v, gap, band);
            let plain = find_rules_reference(&img, min_h, min_v, gap, band);
            assert!(!plain.is_empty());
            assert_eq!(fast, plain, "{min_h} {min_v} {gap} {band}");
        }
    }

    #[test]
    fn rotation_is_the_plain_per_pixel_rotation() {
        let (w, h) = (301, 217);
        let mut img = blank(w, h);
        for (i, p) in img.pixels.iter_mut().enumerate() {
            *p = (i * 7 % 251) as u8;
        }
        for deg in [0.73f32, -1.21, 0.05, 180.0] {
            let (s, c) = deg.to_radians().sin_cos();
            let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
            let mut want = vec![255u8; w * h];
            for y in 0..h {
                let dy = y as f32 - cy;
                for x in 0..w {
                    let dx = x as f32 - cx;
                    let sx = c * dx - s * dy + cx;
                    let sy = s * dx + c * dy + cy;
                    if sx >= 0.0 && sy >= 0.0 {
                        let (sx, sy) = (sx as usize, sy as usize);
                        if sx < w && sy < h {
                            want[y * w + x] = img.at(sx, sy);
                        }
                    }
                }
            }
            assert!(img.rotate(deg).pixels == want, "{deg}");
        }
    }
}
