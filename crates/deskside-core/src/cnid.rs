//! Chinese resident ID numbers and unified social credit codes (being written).
