#include "foo-shared.h"
int other;
