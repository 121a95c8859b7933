// synthetic consumer of acpi_spi_find_controller_by_adev() for the series switch tests, in
// phase-one form (its driver patch has landed); written for unembed, not kernel code
#include <linux/acpi.h>
#include <linux/spi/spi.h>

static struct spi_device **spi_devs;

static __init int x86_instantiate_spi_dev(const struct x86_dev_info *dev_info, int idx)
{
	struct spi_board_info board_info = dev_info->spi_dev_info[idx].board_info;
	struct spi_controller *controller;
	struct acpi_device *adev;
	acpi_status status;

	adev = x86_find_adev(dev_info, idx, &status);
	if (!adev)
		return -ENODEV;

	controller = acpi_spi_find_controller_by_adev(adev);
	if (!controller)
		return -ENODEV;

	spi_devs[idx] = spi_new_device(controller, &board_info);
	put_device(spi_controller_dev(controller));
	if (!spi_devs[idx])
		return dev_err_probe(spi_controller_dev(controller), -ENOMEM,
				     "creating SPI-device %d\n", idx);

	return 0;
}
