// synthetic driver that finds an SPI controller as the child of a platform device it registered
// and instantiates a flash on it (phase-one form); written for unembed, not kernel code
#include <linux/platform_device.h>
#include <linux/spi/spi.h>

static int match_any_child(struct device *dev, void *data)
{
	return 1;
}

static struct spi_controller *get_spi_adap(struct platform_device *pdev)
{
	struct device *dev;

	device_lock(&pdev->dev);
	dev = device_find_child(&pdev->dev, NULL, match_any_child);
	device_unlock(&pdev->dev);

	return dev ? to_spi_controller(dev) : NULL;
}

static int init_spi(struct mgb4_dev *mgbdev, u32 devid)
{
	struct spi_board_info spi_info = { .modalias = "flash" };
	struct spi_controller *ctlr;
	struct spi_device *spi_dev;

	ctlr = get_spi_adap(mgbdev->spi_pdev);
	if (!ctlr)
		return -EINVAL;

	spi_dev = spi_new_device(ctlr, &spi_info);
	put_device(spi_controller_dev(ctlr));
	if (!spi_dev)
		return -EINVAL;

	mgbdev->spi_dev = spi_dev;
	return 0;
}
