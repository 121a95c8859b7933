int foo_x;
