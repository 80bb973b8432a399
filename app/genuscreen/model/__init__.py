"""The screening model: blocks, the configurable network, its registry.

Knows nothing of video files: it takes silhouette tensors [n, 1, T, H, W] and returns logits for
normal vs genu valgum and the estimated knee angle.
"""

from genuscreen.model.network import GaitNet, GaitNetConfig, GEINet, build_model, list_models, register_model

__all__ = ["GEINet", "GaitNet", "GaitNetConfig", "build_model", "list_models", "register_model"]
