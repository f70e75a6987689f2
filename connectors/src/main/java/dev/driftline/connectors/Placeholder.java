package dev.driftline.connectors; final class Placeholder {}
