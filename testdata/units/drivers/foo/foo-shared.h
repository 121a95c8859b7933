/* foo-shared */
