//! Integration tests of the core on real archive files on disk.

mod support;

mod interchange;
mod lifecycle;
mod migrations;
mod records;
