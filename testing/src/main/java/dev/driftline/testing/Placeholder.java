package dev.driftline.testing; final class Placeholder {}
