int legacy_a;
