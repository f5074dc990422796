//! Reading untrusted workbooks within fixed bounds.
//!
//! An `.xlsx` file is a zip archive of XML parts. Three things in one can
//! make a reader exhaust memory long before any cell is looked at:
//! parts that unpack to far more than they weigh (a zip bomb), a shared
//! strings part that declares more strings than it holds (the reader
//! reserves room for the declared count), and a cell far from the others
//! (a reader that builds a dense grid of rows × columns allocates for every
//! position in between: one cell at `XFD1048576` asks for 512 GiB).
//!
//! [`open`] checks the archive (number of parts, the size each part and the
//! whole unpack to, the ratio of unpacked to packed size, the shared
//! strings' declared count) by unpacking it once into a counting sink,
//! checks that every cell reference in the sheets lies within a sheet's
//! bounds (calamine computes a reference's row and column in 32 bits, and
//! one of a few more letters or digits overflows them), and only then
//! hands it to calamine. [`cells`] reads a sheet cell by cell
//! into a sparse map and stops at the first cell outside the bounds the
//! caller gives, so no dense grid is ever built.

use calamine::{Data, DataRef, Xlsx};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// What an untrusted workbook may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Parts (files) in the archive.
    pub parts: usize,
    /// Bytes one part may unpack to.
    pub part_bytes: u64,
    /// Bytes all parts together may unpack to.
    pub total_bytes: u64,
    /// How many times its packed size a part larger than
    /// [`RATIO_FLOOR`] bytes may unpack to.
    pub ratio: u64,
    /// Non-empty cells one sheet may hold.
    pub cells: usize,
}

/// Parts smaller than this are not held to the ratio: tiny XML parts
/// compress very well and are harmless.
pub const RATIO_FLOOR: u64 = 1024 * 1024;

impl Limits {
    /// Enough for any submission template or table Bagalau reads (the
    /// largest real ones are a few megabytes unpacked), far below what
    /// would strain a server.
    pub const UPLOADS: Limits = Limits {
        parts: 1_000,
        part_bytes: 64 * 1024 * 1024,
        total_bytes: 128 * 1024 * 1024,
        ratio: 200,
        cells: 2_000_000,
    };
}

/// Why an archive was refused before it was read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not an Excel workbook (.xlsx): {0}")]
    NotAWorkbook(String),
    #[error("the workbook has {parts} parts; at most {limit} are read")]
    TooManyParts { parts: usize, limit: usize },
    #[error("part `{part}` unpacks to more than {limit} bytes")]
    PartTooLarge { part: String, limit: u64 },
    #[error("the workbook unpacks to more than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("part `{part}` unpacks to {ratio} times its packed size; at most {limit} is read")]
    Compressed {
        part: String,
        ratio: u64,
        limit: u64,
    },
    #[error("the shared strings declare {declared} strings but can hold at most {room}")]
    SharedStrings { declared: u64, room: u64 },
    #[error("part `{part}`: `{reference}` is not a cell reference within A1:XFD1048576")]
    Reference { part: String, reference: String },
}

/// The last column (`XFD`) and row of a worksheet, 1-based, as in Excel.
const SHEET_COLUMNS: u32 = 16_384;
const SHEET_ROWS: u32 = 1_048_576;

/// Opens a workbook after checking the archive against the limits.
pub fn open(bytes: &[u8], limits: Limits) -> Result<Xlsx<Cursor<&[u8]>>, Refused> {
    check_archive(bytes, limits)?;
    calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| Refused::NotAWorkbook(e.to_string()))
}

fn check_archive(bytes: &[u8], limits: Limits) -> Result<(), Refused> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Refused::NotAWorkbook(e.to_string()))?;
    if zip.len() > limits.parts {
        return Err(Refused::TooManyParts {
            parts: zip.len(),
            limit: limits.parts,
        });
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| Refused::NotAWorkbook(e.to_string()))?;
        let name = part
            .name()
            .map_err(|e| Refused::NotAWorkbook(e.to_string()))?
            .chars()
            .take(200)
            .collect::<String>();
        let packed = part.compressed_size();
        let is_shared_strings = name.eq_ignore_ascii_case("xl/sharedStrings.xml");
        // The declared sizes may lie: count what actually comes out.
        let mut counter = Counter::new(is_shared_strings);
        std::io::copy(&mut (&mut part).take(limits.part_bytes + 1), &mut counter)
            .map_err(|e| Refused::NotAWorkbook(format!("part `{name}`: {e}")))?;
        let unpacked = counter.bytes;
        if unpacked > limits.part_bytes {
            return Err(Refused::PartTooLarge {
                part: name,
                limit: limits.part_bytes,
            });
        }
        total += unpacked;
        if total > limits.total_bytes {
            return Err(Refused::TooLarge {
                limit: limits.total_bytes,
            });
        }
        if unpacked > RATIO_FLOOR {
            let ratio = unpacked / packed.max(1);
            if ratio > limits.ratio {
                return Err(Refused::Compressed {
                    part: name,
                    ratio,
                    limit: limits.ratio,
                });
            }
        }
        if is_shared_strings {
            // The smallest string entry, `<si/>`, takes five bytes.
            let room = unpacked / 5;
            if let Some(declared) = counter.declared_strings()
                && declared > room
            {
                return Err(Refused::SharedStrings { declared, room });
            }
        }
        drop(part);
        let lower = name.to_ascii_lowercase();
        if lower.starts_with("xl/worksheets/") && lower.ends_with(".xml") {
            // Unpacked again, as a stream: its size is known to be bounded now.
            let part = zip
                .by_index(i)
                .map_err(|e| Refused::NotAWorkbook(e.to_string()))?;
            if let Some(reference) = reference_beyond_sheet(std::io::BufReader::new(part)) {
                return Err(Refused::Reference {
                    part: name,
                    reference: reference.chars().take(40).collect(),
                });
            }
        }
    }
    Ok(())
}

/// The first cell reference of a worksheet's XML (a cell's or a row's `r`,
/// the `ref` of its dimension, a shared formula or a merged range) that
/// lies beyond a sheet's last column or row. Read as calamine reads a
/// sheet (its reader's settings), so that this sees every element calamine
/// will; at an error in the XML calamine stops too, and reports it.
fn reference_beyond_sheet(xml: impl std::io::BufRead) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                let attribute = match e.local_name().as_ref() {
                    "c" | "row" => "r",
                    "dimension" | "f" | "mergeCell" => "ref",
                    _ => {
                        buf.clear();
                        continue;
                    }
                };
                for a in e.attributes().flatten() {
                    if a.key.local_name().as_ref() == attribute && !within_sheet(&a.value) {
                        return Some(a.value.into_owned());
                    }
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// Whether each end of a reference or range (`A1`, `B2:D9`, `7`) has a
/// column of at most `XFD` and a row of at most 1048576. Only the letters
/// and the digits after them count: what follows is not read as part of a
/// number, and calamine refuses it itself.
fn within_sheet(reference: &str) -> bool {
    reference.split(':').all(|end| {
        let bytes = end.as_bytes();
        let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let digits = bytes[letters..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        // Past these lengths the values are out of bounds anyway, and
        // counting them could overflow here too.
        if letters > 3 || digits > 7 {
            return false;
        }
        let column = bytes[..letters].iter().fold(0u32, |c, b| {
            c * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
        });
        let row = bytes[letters..letters + digits]
            .iter()
            .fold(0u32, |r, b| r * 10 + u32::from(b - b'0'));
        column <= SHEET_COLUMNS && row <= SHEET_ROWS
    })
}

/// Counts bytes written to it; for the shared strings part it keeps the
/// start of the part, where the `<sst>` element declares its counts.
struct Counter {
    bytes: u64,
    head: Option<Vec<u8>>,
}

const HEAD_BYTES: usize = 4096;

impl Counter {
    fn new(keep_head: bool) -> Self {
        Counter {
            bytes: 0,
            head: keep_head.then(Vec::new),
        }
    }

    /// The larger of `count` and `uniqueCount` on the `<sst>` element, if
    /// the start of the part declares one.
    fn declared_strings(&self) -> Option<u64> {
        let head = self.head.as_deref()?;
        let mut reader = quick_xml::Reader::from_reader(head);
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                    if e.local_name().as_ref() == "sst" =>
                {
                    return e
                        .attributes()
                        .flatten()
                        .filter(|a| matches!(a.key.local_name().as_ref(), "count" | "uniqueCount"))
                        .map(|a| {
                            // An unreadable count is as bad as a huge one.
                            a.value.trim().parse::<u64>().unwrap_or(u64::MAX)
                        })
                        .max();
                }
                Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
                _ => {}
            }
            buf.clear();
        }
    }
}

impl std::io::Write for Counter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.bytes += data.len() as u64;
        if let Some(head) = &mut self.head
            && head.len() < HEAD_BYTES
        {
            let take = (HEAD_BYTES - head.len()).min(data.len());
            head.extend_from_slice(&data[..take]);
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The non-empty cells of a sheet, by (row, column), 0-based.
pub type Cells = BTreeMap<(u32, u32), Data>;

/// Why a sheet's cells could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("unreadable: {0}")]
    Unreadable(String),
    /// A cell at (row, column), 0-based, beyond the last row or column the
    /// caller reads.
    #[error("a cell outside the rows and columns that are read")]
    Outside { row: u32, column: u32 },
    #[error("more than {limit} cells")]
    TooManyCells { limit: usize },
    /// A formula without the value it computes (row, column, 0-based).
    #[error("a formula without its computed value")]
    FormulaWithoutValue { row: u32, column: u32 },
}

/// The non-empty cells of a sheet, none beyond `last_row` or `last_column`
/// (0-based, inclusive).
pub fn cells(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    last_row: u32,
    last_column: u32,
    limits: Limits,
) -> Result<Cells, SheetError> {
    let mut reader = workbook
        .worksheet_cells_reader(sheet)
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let mut cells = Cells::new();
    while let Some(cell) = reader
        .next_cell_with_formula_metadata()
        .map_err(|e| SheetError::Unreadable(e.to_string()))?
    {
        let (row, column) = cell.pos;
        // A formula the program that wrote the file never computed (written
        // by a script, say) has no value: unknown, not empty.
        let uncomputed = cell.value == DataRef::Empty && cell.formula.is_some();
        let value = Data::from(cell.value);
        let blank =
            matches!(&value, Data::Empty) || matches!(&value, Data::String(s) if s.is_empty());
        if blank && !uncomputed {
            continue;
        }
        if row > last_row || column > last_column {
            return Err(SheetError::Outside { row, column });
        }
        if uncomputed {
            return Err(SheetError::FormulaWithoutValue { row, column });
        }
        if cells.len() >= limits.cells {
            return Err(SheetError::TooManyCells {
                limit: limits.cells,
            });
        }
        cells.insert((row, column), value);
    }
    Ok(cells)
}
