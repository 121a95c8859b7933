int helper_one;
