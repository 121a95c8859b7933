#include "foo-shared.h"
int twin;
