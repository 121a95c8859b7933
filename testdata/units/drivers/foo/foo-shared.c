int foo_shared;
