"""The nightly charter check, tenant side: each partner pushes its bounded settings and
its catalogue to the federation and brings its own findings up to date. No models."""
