/* synthetic spi.h for the switch tests (after phase one) */
struct spi_controller {
	struct device	dev;
	struct list_head list;
	s16			bus_num;
	void __percpu		*pcpu_statistics;
};
#define to_spi_controller(d) container_of(d, struct spi_controller, dev)

#define spi_controller_dev(ctlr) (&(ctlr)->dev)

static inline void *spi_controller_get_devdata(struct spi_controller *ctlr)
{
	return dev_get_drvdata(spi_controller_dev(ctlr));
}
