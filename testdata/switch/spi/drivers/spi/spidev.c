// synthetic spidev.c for the switch tests: the locking shape that the switch relies on (the SPI
// device is cleared under both locks at remove, read under them by every file operation);
// written for unembed, not kernel code
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/spi/spi.h>

struct spidev_data {
	struct spi_device	*spi;
	struct mutex		spi_lock;
	unsigned int		users;
};

static DEFINE_MUTEX(device_list_lock);

static ssize_t
spidev_read(struct file *filp, char __user *buf, size_t count, loff_t *f_pos)
{
	struct spidev_data	*spidev = filp->private_data;
	ssize_t			status = -ESHUTDOWN;

	mutex_lock(&spidev->spi_lock);
	if (spidev->spi == NULL)
		goto out;
	status = spi_read(spidev->spi, buf, count);
out:
	mutex_unlock(&spidev->spi_lock);
	return status;
}

static ssize_t
spidev_write(struct file *filp, const char __user *buf, size_t count, loff_t *f_pos)
{
	struct spidev_data	*spidev = filp->private_data;
	ssize_t			status = -ESHUTDOWN;

	mutex_lock(&spidev->spi_lock);
	if (spidev->spi == NULL)
		goto out;
	status = spi_write(spidev->spi, buf, count);
out:
	mutex_unlock(&spidev->spi_lock);
	return status;
}

static long
spidev_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct spidev_data	*spidev = filp->private_data;
	struct spi_device	*spi;
	long			ret;

	mutex_lock(&spidev->spi_lock);
	spi = spi_dev_get(spidev->spi);
	if (spi == NULL) {
		mutex_unlock(&spidev->spi_lock);
		return -ESHUTDOWN;
	}
	ret = spi->controller->bus_num;
	spi_dev_put(spi);
	mutex_unlock(&spidev->spi_lock);
	return ret;
}

static long
spidev_compat_ioc_message(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct spidev_data	*spidev = filp->private_data;
	struct spi_device	*spi;

	mutex_lock(&spidev->spi_lock);
	spi = spi_dev_get(spidev->spi);
	if (spi == NULL) {
		mutex_unlock(&spidev->spi_lock);
		return -ESHUTDOWN;
	}
	spi_dev_put(spi);
	mutex_unlock(&spidev->spi_lock);
	return 0;
}

static int spidev_release(struct inode *inode, struct file *filp)
{
	struct spidev_data	*spidev;
	int			dofree;

	mutex_lock(&device_list_lock);
	spidev = filp->private_data;
	mutex_lock(&spidev->spi_lock);
	dofree = (spidev->spi == NULL);
	mutex_unlock(&spidev->spi_lock);
	if (!--spidev->users && dofree)
		kfree(spidev);
	mutex_unlock(&device_list_lock);
	return 0;
}

static void spidev_remove(struct spi_device *spi)
{
	struct spidev_data	*spidev = spi_get_drvdata(spi);

	mutex_lock(&device_list_lock);
	mutex_lock(&spidev->spi_lock);
	spidev->spi = NULL;
	mutex_unlock(&spidev->spi_lock);
	if (spidev->users == 0)
		kfree(spidev);
	mutex_unlock(&device_list_lock);
}
