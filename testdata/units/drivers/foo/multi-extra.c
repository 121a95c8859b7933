int multi_extra;
