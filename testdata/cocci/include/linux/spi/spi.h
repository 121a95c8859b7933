/* Minimal stand-in for the tests of unembed: only what spatch needs for types. */
#ifndef _TEST_LINUX_SPI_H
#define _TEST_LINUX_SPI_H

struct device;

struct spi_controller {
	int bus_num;
	struct device dev;
};

struct spi_device {
	struct device dev;
	struct spi_controller *controller;
};

#endif
