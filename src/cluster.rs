//! SKELETON: cluster analysis, to be implemented (see the issue that owns it).
