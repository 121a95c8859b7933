int kb;
