//! Parquet in (issue 19): a Parquet file (transactions, a customer-level table or a
//! per-customer summary) is read through the same entry point as text, as the workbook reader
//! does: its typed columns are written as the text the CSV reader already reads (dates as ISO
//! dates, timestamps as `YYYY-MM-DD HH:MM:SS`, decimals exactly, dictionary-encoded strings
//! as their values), one row group at a time, so the roles, the value parsers and the quality
//! report are the ones every other file gets. Nested columns (lists, maps, structs) and codecs
//! not built in (zstd) are located errors naming the file, the column or the row group.
//!
//! Memory: the file's (compressed) bytes are held whole, as for a workbook, because Parquet
//! keeps its directory at the end; the decoded rows are streamed, a row group at a time, into
//! the reader's typed columns.

use super::messages::msg;
use super::{IngestError, IngestErrorKind};
use crate::time::day_to_date;
use crate::warning::Warning;
use ::parquet::basic::{
    Compression, ConvertedType, LogicalType, TimeUnit, TimestampType, Type as PhysicalType,
};
use ::parquet::file::reader::{FileReader, SerializedFileReader};
use ::parquet::record::reader::RowIter;
use ::parquet::record::{Field, Row};
use ::parquet::schema::types::ColumnDescriptor;
use std::io::Read;

/// A Parquet file starts (and ends) with these four bytes.
pub fn is_parquet(prefix: &[u8]) -> bool {
    prefix.starts_with(b"PAR1")
}

/// How a column's values become text, beyond what their [`Field`] says.
#[derive(Clone, Copy, PartialEq)]
enum Render {
    Plain,
    /// INT64 with the logical type TIMESTAMP(NANOS) (pyarrow's default), read as a number by
    /// the record API.
    TimestampNanos,
}

/// The file's rows as CSV text (a header of the column names, then one line per row),
/// produced a few thousand rows at a time.
pub struct ParquetCsv {
    rows: RowIter<'static>,
    render: Vec<Render>,
    names: Vec<String>,
    /// Cumulative rows at the end of each row group, to name the row group of an error.
    group_ends: Vec<u64>,
    rows_done: u64,
    buf: Vec<u8>,
    pos: usize,
    header: bool,
    finished: bool,
    file: Option<String>,
    /// What the quality report says about the file (row groups, codecs, UTC timestamps).
    pub description: String,
    pub warnings: Vec<Warning>,
}

fn error(file: Option<&str>, column: Option<&str>, message: String) -> IngestError {
    IngestError {
        file: file.map(String::from),
        row: None,
        column: column.map(String::from),
        message,
        kind: IngestErrorKind::Other,
    }
}

/// Checks that a column is flat and of a type the record reader renders (else it would stop
/// at the first value); how to render it.
fn render_of(c: &ColumnDescriptor, file: Option<&str>) -> Result<Render, IngestError> {
    // A nested column's leaf is named for its place in the list or map: name the table's column.
    let name = c.path().parts().first().map(String::as_str).unwrap_or(c.name());
    let bad = |what: String| {
        Err(error(
            file,
            Some(name),
            format!("this Parquet column is {what}, which Clientele does not read: write it as a string, number, date or timestamp"),
        ))
    };
    if c.max_rep_level() > 0 || c.path().parts().len() > 1 {
        return bad("nested (a list, map or struct)".into());
    }
    use ConvertedType as C;
    let converted = c.converted_type();
    let ok = match c.physical_type() {
        PhysicalType::BOOLEAN | PhysicalType::INT96 | PhysicalType::FLOAT | PhysicalType::DOUBLE => true,
        PhysicalType::INT32 => matches!(
            converted,
            C::NONE
                | C::INT_8
                | C::INT_16
                | C::INT_32
                | C::UINT_8
                | C::UINT_16
                | C::UINT_32
                | C::DATE
                | C::TIME_MILLIS
                | C::DECIMAL
        ),
        PhysicalType::INT64 => matches!(
            converted,
            C::NONE
                | C::INT_64
                | C::UINT_64
                | C::TIME_MICROS
                | C::TIMESTAMP_MILLIS
                | C::TIMESTAMP_MICROS
                | C::DECIMAL
        ),
        PhysicalType::BYTE_ARRAY => matches!(
            converted,
            C::NONE | C::UTF8 | C::ENUM | C::JSON | C::BSON | C::DECIMAL
        ),
        PhysicalType::FIXED_LEN_BYTE_ARRAY => {
            converted == C::DECIMAL
                || (converted == C::NONE && c.logical_type_ref() == Some(&LogicalType::Float16))
        }
    };
    if !ok {
        return bad(format!("{} ({})", c.physical_type(), converted));
    }
    Ok(match c.logical_type_ref() {
        Some(LogicalType::Timestamp(TimestampType {
            unit: TimeUnit::NANOS,
            ..
        })) if c.physical_type() == PhysicalType::INT64 => Render::TimestampNanos,
        _ => Render::Plain,
    })
}

impl ParquetCsv {
    /// Opens the file held in `bytes`: its footer, schema and row groups.
    pub fn open(bytes: Vec<u8>, file: Option<&str>) -> Result<ParquetCsv, IngestError> {
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes))
            .map_err(|e| error(file, None, format!("this Parquet file could not be opened: {e}")))?;
        let meta = reader.metadata();
        let schema = meta.file_metadata().schema_descr();
        let mut render = Vec::new();
        let mut names = Vec::new();
        let mut warnings = Vec::new();
        for c in schema.columns() {
            render.push(render_of(c, file)?);
            names.push(c.name().to_string());
            if let Some(LogicalType::Timestamp(TimestampType {
                is_adjusted_to_u_t_c: true,
                ..
            })) = c.logical_type_ref()
            {
                warnings.push(
                    msg(
                        "parquet_utc",
                        format!(
                            "The Parquet column \"{}\" holds instants in UTC: its dates are UTC calendar days (write local timestamps to count days in local time).",
                            c.name()
                        ),
                    )
                    .with_param("column", c.name()),
                );
            }
        }
        if names.is_empty() {
            return Err(error(file, None, "this Parquet file has no columns".into()));
        }
        let mut group_ends = Vec::new();
        let mut total = 0u64;
        let mut codecs: Vec<String> = Vec::new();
        for g in meta.row_groups() {
            total += g.num_rows().max(0) as u64;
            group_ends.push(total);
            for c in g.columns() {
                if let Compression::ZSTD(_) | Compression::BROTLI(_) | Compression::LZO = c.compression() {
                    return Err(IngestError {
                        message: format!(
                            "row group {}: this column is compressed with {}, which this build of Clientele does not read (it reads snappy, gzip, lz4 and uncompressed Parquet, in the browser too): write the file with compression='snappy' (pyarrow, pandas, DuckDB and Spark's default)",
                            group_ends.len() - 1,
                            codec_name(c.compression())
                        ),
                        ..error(file, Some(c.column_path().string().as_str()), String::new())
                    });
                }
                let codec = codec_name(c.compression()).to_string();
                if !codecs.contains(&codec) {
                    codecs.push(codec);
                }
            }
        }
        let description = format!(
            "Parquet ({} rows in {} row groups; {})",
            total,
            group_ends.len(),
            if codecs.is_empty() {
                "no data".to_string()
            } else {
                codecs.join(", ")
            }
        );
        Ok(ParquetCsv {
            rows: RowIter::from_file_into(Box::new(reader)),
            render,
            names,
            group_ends,
            rows_done: 0,
            buf: Vec::new(),
            pos: 0,
            header: false,
            finished: false,
            file: file.map(String::from),
            description,
            warnings,
        })
    }

    /// The row group of the next row (0-based).
    fn row_group(&self) -> usize {
        self.group_ends.partition_point(|&e| e <= self.rows_done)
    }

    fn io_error(&self, column: Option<&str>, message: String) -> std::io::Error {
        let column = column.map(|c| format!(", column \"{c}\"")).unwrap_or_default();
        std::io::Error::other(format!(
            "{}row group {}{column} (row {} of the Parquet file): {message}",
            self.file.as_deref().map(|f| format!("{f}, ")).unwrap_or_default(),
            self.row_group(),
            self.rows_done + 1
        ))
    }

    /// Writes the next rows as CSV lines into `buf`; false at the end of the file.
    fn refill(&mut self) -> std::io::Result<bool> {
        self.buf.clear();
        self.pos = 0;
        if !self.header {
            self.header = true;
            let names: Vec<String> = self.names.clone();
            write_line(&mut self.buf, names.iter().map(String::as_str));
            return Ok(true);
        }
        let mut cells: Vec<String> = Vec::with_capacity(self.names.len());
        while !self.finished && self.buf.len() < 1 << 16 {
            let next = next_row(&mut self.rows);
            let row = match next {
                None => {
                    self.finished = true;
                    break;
                }
                Some(Err(message)) => return Err(self.io_error(None, message)),
                Some(Ok(row)) => row,
            };
            cells.clear();
            for (k, (name, field)) in row.get_column_iter().enumerate() {
                let render = self.render.get(k).copied().unwrap_or(Render::Plain);
                match text(field, render) {
                    Ok(t) => cells.push(t),
                    Err(m) => return Err(self.io_error(Some(name), m)),
                }
            }
            write_line(&mut self.buf, cells.iter().map(String::as_str));
            self.rows_done += 1;
        }
        Ok(!self.buf.is_empty())
    }
}

/// The next row; a panic of the record reader on a damaged file becomes an error (natively;
/// in wasm a panic ends the worker, which the page reports).
fn next_row(rows: &mut RowIter<'static>) -> Option<Result<Row, String>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rows.next())) {
            Ok(next) => next.map(|r| r.map_err(|e| e.to_string())),
            Err(_) => Some(Err(
                "the Parquet reader failed on this row: the file is damaged".into()
            )),
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        rows.next().map(|r| r.map_err(|e| e.to_string()))
    }
}

impl Read for ParquetCsv {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.buf.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// One CSV line: cells quoted when they hold a comma, a quote or a line break.
fn write_line<'a>(buf: &mut Vec<u8>, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            buf.push(b'"');
            buf.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            buf.push(b'"');
        } else {
            buf.extend_from_slice(cell.as_bytes());
        }
    }
    buf.push(b'\n');
}

fn timestamp(t: Option<chrono::DateTime<chrono::Utc>>) -> Result<String, String> {
    t.map(|t| t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string())
        .ok_or_else(|| "a timestamp out of range".to_string())
}

/// A codec's everyday name.
fn codec_name(c: Compression) -> &'static str {
    match c {
        Compression::UNCOMPRESSED => "uncompressed",
        Compression::SNAPPY => "snappy",
        Compression::GZIP(_) => "gzip",
        Compression::LZO => "lzo",
        Compression::BROTLI(_) => "brotli",
        Compression::LZ4 | Compression::LZ4_RAW => "lz4",
        Compression::ZSTD(_) => "zstd",
    }
}

/// A value as the text the CSV reader parses.
fn text(field: &Field, render: Render) -> Result<String, String> {
    use chrono::DateTime;
    Ok(match field {
        Field::Null => String::new(),
        Field::Bool(b) => b.to_string(),
        Field::Byte(v) => v.to_string(),
        Field::Short(v) => v.to_string(),
        Field::Int(v) => v.to_string(),
        Field::Long(v) if render == Render::TimestampNanos => {
            timestamp(Some(DateTime::from_timestamp_nanos(*v)))?
        }
        Field::Long(v) => v.to_string(),
        Field::UByte(v) => v.to_string(),
        Field::UShort(v) => v.to_string(),
        Field::UInt(v) => v.to_string(),
        Field::ULong(v) => v.to_string(),
        Field::Float16(v) => f32::from(*v).to_string(),
        Field::Float(v) => v.to_string(),
        Field::Double(v) => v.to_string(),
        Field::Decimal(d) => decimal(d.data(), d.scale())?,
        Field::Str(s) => s.clone(),
        Field::Bytes(b) => {
            String::from_utf8(b.data().to_vec()).map_err(|_| "binary values that are not text".to_string())?
        }
        Field::Date(d) => day_to_date(*d).to_string(),
        Field::TimeMillis(ms) => format!(
            "{:02}:{:02}:{:02}",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60
        ),
        Field::TimeMicros(us) => format!(
            "{:02}:{:02}:{:02}",
            us / 3_600_000_000,
            us / 60_000_000 % 60,
            us / 1_000_000 % 60
        ),
        Field::TimestampMillis(ms) => timestamp(DateTime::from_timestamp_millis(*ms))?,
        Field::TimestampMicros(us) => timestamp(DateTime::from_timestamp_micros(*us))?,
        Field::Group(_) | Field::ListInternal(_) | Field::MapInternal(_) => {
            return Err("a nested value (list, map or struct)".into())
        }
    })
}

/// A decimal's unscaled big-endian two's-complement bytes and scale as exact text.
fn decimal(bytes: &[u8], scale: i32) -> Result<String, String> {
    if bytes.len() > 16 || !(0..=38).contains(&scale) {
        return Err("a decimal wider than 38 digits".into());
    }
    let mut v: i128 = if bytes.first().is_some_and(|&b| b & 0x80 != 0) {
        -1
    } else {
        0
    };
    for &b in bytes {
        v = (v << 8) | i128::from(b);
    }
    let digits = v.unsigned_abs().to_string();
    let scale = scale as usize;
    let sign = if v < 0 { "-" } else { "" };
    if scale == 0 {
        return Ok(format!("{sign}{digits}"));
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    Ok(format!("{sign}{int}.{frac}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(decimal(&[0x00, 0x00, 0x30, 0x39], 2).unwrap(), "123.45");
        assert_eq!(decimal(&[0xff, 0xff, 0xff, 0xfb], 2).unwrap(), "-0.05");
        assert_eq!(decimal(&[0x07], 0).unwrap(), "7");
        assert_eq!(decimal(&[0x01], 3).unwrap(), "0.001");
        assert!(decimal(&[0; 17], 2).is_err());
    }

    #[test]
    fn cells_with_commas_and_quotes_are_quoted() {
        let mut b = Vec::new();
        write_line(&mut b, ["a,b", "say \"hi\"", "plain"].into_iter());
        assert_eq!(
            String::from_utf8(b).unwrap(),
            "\"a,b\",\"say \"\"hi\"\"\",plain\n"
        );
    }
}
