// synthetic i2c-mux.c for the series switch tests (before phase one)

struct i2c_mux_priv {
	struct i2c_adapter adap;
	struct i2c_mux_core *muxc;
	u32 chan_id;
};

static int __i2c_mux_master_xfer(struct i2c_adapter *adap,
				 struct i2c_msg msgs[], int num)
{
	struct i2c_mux_priv *priv = adap->algo_data;

	return __i2c_transfer(priv->muxc->parent, msgs, num);
}

static int i2c_mux_master_xfer(struct i2c_adapter *adap,
			       struct i2c_msg msgs[], int num)
{
	struct i2c_mux_priv *priv = adap->algo_data;

	return i2c_transfer(priv->muxc->parent, msgs, num);
}

static int __i2c_mux_smbus_xfer(struct i2c_adapter *adap,
				u16 addr, unsigned short flags,
				char read_write, u8 command,
				int size, union i2c_smbus_data *data)
{
	struct i2c_mux_priv *priv = adap->algo_data;

	return __i2c_smbus_xfer(priv->muxc->parent, addr, flags, read_write, command, size, data);
}

static int i2c_mux_smbus_xfer(struct i2c_adapter *adap,
			      u16 addr, unsigned short flags,
			      char read_write, u8 command,
			      int size, union i2c_smbus_data *data)
{
	struct i2c_mux_priv *priv = adap->algo_data;

	return i2c_smbus_xfer(priv->muxc->parent, addr, flags, read_write, command, size, data);
}

static u32 i2c_mux_functionality(struct i2c_adapter *adap)
{
	struct i2c_mux_priv *priv = adap->algo_data;

	return priv->muxc->parent->algo->functionality(priv->muxc->parent);
}

static void i2c_mux_lock_bus(struct i2c_adapter *adapter, unsigned int flags)
{
	fixture_lock(adapter, flags);
}

static int i2c_mux_trylock_bus(struct i2c_adapter *adapter, unsigned int flags)
{
	return fixture_trylock(adapter, flags);
}

static void i2c_mux_unlock_bus(struct i2c_adapter *adapter, unsigned int flags)
{
	fixture_unlock(adapter, flags);
}

struct i2c_mux_core *i2c_mux_alloc(struct i2c_adapter *parent,
				   struct device *dev, int max_adapters)
{
	struct i2c_mux_core *muxc = devm_kzalloc(dev, sizeof(*muxc), GFP_KERNEL);

	if (!muxc)
		return NULL;
	muxc->parent = parent;
	muxc->dev = dev;
	return muxc;
}

static const struct i2c_lock_operations i2c_mux_lock_ops = {
	.lock_bus =    i2c_mux_lock_bus,
	.trylock_bus = i2c_mux_trylock_bus,
	.unlock_bus =  i2c_mux_unlock_bus,
};

int i2c_mux_add_adapter(struct i2c_mux_core *muxc, u32 force_nr, u32 chan_id)
{
	struct i2c_mux_priv *priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	int ret;

	priv->adap.dev.parent = &muxc->parent->dev;
	if (has_acpi_companion(muxc->dev))
		acpi_preset_companion(&priv->adap.dev,
				      ACPI_COMPANION(muxc->dev),
				      chan_id);

	ret = i2c_add_adapter(&priv->adap);
	if (ret < 0)
		goto err_free_priv;
	return 0;

err_free_priv:
	of_node_put(priv->adap.dev.of_node);
	kfree(priv);
	return ret;
}
