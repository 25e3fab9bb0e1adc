//! C ABI (see issue 6)
