int orphan;
