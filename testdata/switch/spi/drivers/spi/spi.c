// synthetic spi.c for the switch tests (after phase one)

static void spi_controller_release(struct device *dev)
{
	struct spi_controller *ctlr;

	ctlr = to_spi_controller(dev);

	free_percpu(ctlr->pcpu_statistics);
	kfree(ctlr);
}

struct spi_controller *__spi_alloc_controller(struct device *dev,
					      unsigned int size, bool slave)
{
	struct spi_controller	*ctlr;
	size_t ctlr_size = ALIGN(sizeof(*ctlr), dma_get_cache_alignment());

	ctlr = kzalloc(size + ctlr_size, GFP_KERNEL);
	if (!ctlr)
		return NULL;

	ctlr->pcpu_statistics = spi_alloc_pcpu_stats(NULL);
	if (!ctlr->pcpu_statistics) {
		kfree(ctlr);
		return NULL;
	}

	device_initialize(spi_controller_dev(ctlr));
	spi_controller_dev(ctlr)->parent = dev;
	return ctlr;
}
