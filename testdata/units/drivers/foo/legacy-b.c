int legacy_b;
