static int inc;
