//! Phone numbers: detection in text and normalisation to E.164 (being written).
