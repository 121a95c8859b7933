int disp_main;
