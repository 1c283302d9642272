//! SKELETON: propensity analysis, to be implemented (see the issue that owns it).
