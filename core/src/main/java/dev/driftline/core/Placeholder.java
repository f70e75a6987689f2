package dev.driftline.core; final class Placeholder {}
