/* synthetic i2c-mux.h for the series switch tests */
struct i2c_mux_core {
	struct i2c_adapter *parent;
	struct device *dev;
	unsigned int mux_locked:1;
	int (*select)(struct i2c_mux_core *, u32 chan_id);
};
