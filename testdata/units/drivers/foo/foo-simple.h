/* foo-simple */
