int big;
