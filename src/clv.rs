//! SKELETON: clv analysis, to be implemented (see the issue that owns it).
