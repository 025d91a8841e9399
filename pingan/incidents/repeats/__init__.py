"""重复警情研判: the repeat-analysis engine, in plain Python + numpy (no Django).

normalise  text, phone, address (组/社 numbers), names, content core (boilerplate removed)
places     resolving the village from the address text against a gazetteer of the banner's tree
shingles   character 3-grams and a vectorised MinHash
index      sorted uint64 key index (blocking keys and LSH bands), batch and point look-ups
engine     features, candidate pairs, the vectorised verifier, reasons, clusters with decisions
evalset    a labelled generator (planted repeats, hard negatives) and pair precision/recall/F1
"""
