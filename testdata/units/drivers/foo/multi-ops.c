#include "multi.h"
int multi_ops;
