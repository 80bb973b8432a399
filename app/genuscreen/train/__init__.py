"""Training and evaluation: cached silhouette windows split by child, augmentations, the
training loop (one process or torchrun), metrics, the geometric baseline and the reports."""
