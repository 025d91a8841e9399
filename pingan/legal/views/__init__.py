"""Pages of the 法律明白人 programme, split by feature: persons (candidates, selection, archive),
coverage (quotas, coverage, pairs), training, activities (with the monthly 台账)."""
