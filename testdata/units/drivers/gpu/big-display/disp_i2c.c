int disp_i2c;
