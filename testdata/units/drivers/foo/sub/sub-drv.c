int sub_drv;
