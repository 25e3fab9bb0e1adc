//! Python module (see issue 8)
