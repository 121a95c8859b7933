// synthetic i2c-dev.c for the series switch tests (before phase one)

static ssize_t i2cdev_read(struct file *file, char __user *buf, size_t count,
		loff_t *offset)
{
	struct i2c_client *client = file->private_data;

	return i2c_master_recv(client, buf, count);
}

static ssize_t i2cdev_write(struct file *file, const char __user *buf,
		size_t count, loff_t *offset)
{
	struct i2c_client *client = file->private_data;

	return i2c_master_send(client, buf, count);
}

static long i2cdev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct i2c_client *client = file->private_data;

	client->adapter->retries = arg;
	return 0;
}

#ifdef CONFIG_COMPAT
static long compat_i2cdev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return i2cdev_ioctl(file, cmd, arg);
}
#endif

static int i2cdev_open(struct inode *inode, struct file *file)
{
	struct i2c_client *client;
	struct i2c_adapter *adap;

	adap = i2c_get_adapter(iminor(inode));
	client = kzalloc(sizeof(*client), GFP_KERNEL);
	client->adapter = adap;
	file->private_data = client;
	return 0;
}

static int i2cdev_release(struct inode *inode, struct file *file)
{
	struct i2c_client *client = file->private_data;

	i2c_put_adapter(client->adapter);
	kfree(client);
	return 0;
}

static int i2cdev_attach_adapter(struct device *dev)
{
	struct i2c_adapter *adap = to_i2c_adapter(dev);

	return fixture_attach(adap);
}

static int i2cdev_detach_adapter(struct device *dev)
{
	struct i2c_adapter *adap = to_i2c_adapter(dev);

	return fixture_detach(adap);
}
